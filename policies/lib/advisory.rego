# Advisory - facts the architecture and cost advisories share
# Thresholds are organisation parameters (data.tdcheck.org); the rules give advice, never
# a legal verdict.
package tdcheck.lib

import rego.v1

self_hosted_kinds := {"on_premises", "colocation"}

self_hosted(loc) if loc.kind in self_hosted_kinds

# Per location: the stages that run there, their types and the datasets they handle.
stages_at := {l: {s.id | some s in stages; s.location == l} | some l in object.keys(locations)}

stage_types_at := {l: {stages[s].type | some s in stages_at[l]} | some l in object.keys(stages_at)}

location_datasets_at := {l: union({stage_datasets[s] | some s in stages_at[l]}) | some l in object.keys(stages_at)}
