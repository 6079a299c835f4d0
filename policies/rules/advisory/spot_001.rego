# METADATA
# title: Research training in the cloud uses preemptible capacity
# description: >-
#   Research runs tolerate interruption and checkpoint often; spot (preemptible) capacity
#   costs a fraction of on-demand. Applies to `spec.workload: research` at cloud locations
#   that run training.
# scope: package
# custom:
#   id: ADV-SPOT-001
#   framework: advisory
#   severity: advisory
#   subject: location
#   citation: cloud provider spot/preemptible pricing; TCO studies
#   remediation: >-
#     Run the research training on spot or preemptible instances (`pricing: spot`) with
#     frequent checkpoints, or on reserved capacity if it is steady.
package tdcheck.rules.advisory_spot_001

import data.tdcheck.lib
import rego.v1

findings := [lib.location_finding("ADV-SPOT-001", loc_id, location_verdict(loc)) |
	input.spec.workload == "research"
	some loc_id in object.keys(lib.locations)
	loc := lib.locations[loc_id]
	lib.cloud(loc)
	"training" in lib.stage_types_at[loc_id]
]

pricing(loc) := object.get(loc, "pricing", "not declared")

location_verdict(loc) := {
	"failed": pricing(loc) == "on_demand",
	"message": [
		"research workload: cloud location ", loc.id, " (", loc.kind, ", ", loc.country,
		") runs training with pricing ", pricing(loc),
	],
	"path": lib.location_path(loc.id, "pricing"),
}
