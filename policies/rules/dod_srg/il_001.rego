# METADATA
# title: A third-party location holds a DoD provisional authorization at the data's impact level
# description: >-
#   A location run by a third party that handles DoD data with an impact level holds
#   a DoD Cloud Computing SRG provisional authorization at that level or higher
#   (il2 < il4 < il5 < il6; lineage applied).
# scope: package
# custom:
#   id: DOD-IL-001
#   framework: dod_srg
#   severity: error
#   subject: stage
#   citation: DoD Cloud Computing SRG, impact levels
#   remediation: >-
#     Run the stage on an offering with a DoD provisional authorization at the data's
#     `dod_impact_level` or higher and record it in the location's `dod_impact_level`.
package tdcheck.rules.dod_srg_il_001

import data.tdcheck.lib
import rego.v1

findings := [lib.stage_finding("DOD-IL-001", stage_id, verdict(subject, lib.stage_location[stage_id])) |
	some stage_id in object.keys(lib.dod_subjects)
	subject := lib.dod_subjects[stage_id]
]

verdict(subject, loc) := {
	"failed": true,
	"message": [subject.label, "; the location declares no dod_impact_level"],
	"path": lib.location_path(loc.id, "dod_impact_level"),
} if {
	not loc.dod_impact_level
} else := {
	"failed": true,
	"message": [
		subject.label, "; the location's dod_impact_level ", loc.dod_impact_level,
		" is below ", lib.il_name[subject.il],
	],
	"path": lib.location_path(loc.id, "dod_impact_level"),
} if {
	lib.il_rank[loc.dod_impact_level] < subject.il
} else := {
	"failed": false,
	"message": [
		subject.label, "; the location's dod_impact_level ", loc.dod_impact_level,
		" covers ", lib.il_name[subject.il],
	],
	"path": lib.location_path(loc.id, "dod_impact_level"),
}
