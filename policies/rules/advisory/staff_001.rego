# METADATA
# title: On-premises GPU training has in-house infrastructure staff
# description: >-
#   Bare-metal GPU clusters need people to run them (published ratios: 0.5-1.5 FTE for a
#   small deployment, about 1 FTE per 50-100 GPU servers at scale). An on-premises or
#   colocation location running training or fine-tuning with no infrastructure staff
#   declared is at risk.
# scope: package
# custom:
#   id: ADV-STAFF-001
#   framework: advisory
#   severity: advisory
#   subject: location
#   citation: staffing ratios (TensorsMesh, Sesame Disk; secondary sources)
#   remediation: >-
#     Staff the operation of the cluster (drivers, schedulers, hardware faults) and record
#     it in `infra_staff_fte`, or use a managed cloud service instead.
package tdcheck.rules.advisory_staff_001

import data.tdcheck.lib
import rego.v1

training_types := {"training", "fine_tuning"}

findings := [lib.location_finding("ADV-STAFF-001", loc_id, verdict(loc, training_stages[loc_id])) |
	some loc_id in object.keys(lib.locations)
	loc := lib.locations[loc_id]
	lib.self_hosted(loc)
	count(training_stages[loc_id]) > 0
]

# Per location, its training and fine-tuning stages (for messages).
training_stages := {l: {s | some s in ids; lib.stages[s].type in training_types} |
	some l in object.keys(lib.stages_at)
	ids := lib.stages_at[l]
}

staff(loc) := object.get(loc, "infra_staff_fte", 0)

staff_label(loc, stage_ids) := [
	"location ", loc.id, " (", loc.kind, ", ", loc.country, ") runs training or fine-tuning (",
	lib.list(stage_ids), ")",
]

verdict(loc, stage_ids) := {
	"failed": true,
	"message": [
		staff_label(loc, stage_ids), " with infra_staff_fte ", object.get(loc, "infra_staff_fte", "not declared"),
		": bare-metal GPU operations need in-house staff",
	],
	"path": lib.location_path(loc.id, "infra_staff_fte"),
} if {
	staff(loc) <= 0
}

else := {
	"failed": false,
	"message": [staff_label(loc, stage_ids), " with infra_staff_fte ", staff(loc)],
	"path": lib.location_path(loc.id, "infra_staff_fte"),
}
