# Advisory - facts the architecture and cost advisories share
# Thresholds are organisation parameters (data.tdcheck.org); the rules give advice, never
# a legal verdict.
package tdcheck.lib

import rego.v1

self_hosted_kinds := {"on_premises", "colocation"}

self_hosted(loc) if loc.kind in self_hosted_kinds

# Per location: the stages that run there and the datasets they handle. Rules, not
# functions: the embedded engine mishandles function parameters inside comprehensions.
stages_at := {l: {s.id | some s in stages; s.location == l} | some l in object.keys(locations)}

location_datasets_at := {l: union({stage_datasets(s) | some s in stage_ids}) |
	some l in object.keys(locations)
	stage_ids := stages_at[l]
}

# A stage of one of `types` runs at the location.
runs_any(loc_id, types) if {
	some s in stages_at[loc_id]
	stages[s].type in types
}
