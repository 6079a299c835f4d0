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

findings contains lib.location_finding("ADV-STAFF-001", loc_id, location_verdict(loc)) if {
	some loc_id, loc in lib.locations
	lib.self_hosted(loc)
	lib.runs_any(loc_id, training_types)
}

# Per location, its training and fine-tuning stages (for messages).
training_stages := {l: {s | some s in ids; lib.stages[s].type in training_types} | ids := lib.stages_at[l]}

staff(loc) := object.get(loc, "infra_staff_fte", 0)

label(loc) := [
	"location ", loc.id, " (", loc.kind, ", ", loc.country, ") runs training or fine-tuning (",
	lib.list(training_stages[loc.id]), ")",
]

location_verdict(loc) := {
	"failed": true,
	"message": [
		label(loc), " with infra_staff_fte ", object.get(loc, "infra_staff_fte", "not declared"),
		": bare-metal GPU operations need in-house staff",
	],
	"path": lib.location_path(loc.id, "infra_staff_fte"),
} if {
	staff(loc) <= 0
}

else := {
	"failed": false,
	"message": [label(loc), " with infra_staff_fte ", staff(loc)],
	"path": lib.location_path(loc.id, "infra_staff_fte"),
}
