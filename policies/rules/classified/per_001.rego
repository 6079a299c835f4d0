# METADATA
# title: The personnel of a location handling classified data are cleared for its level
# description: >-
#   Access to classified information requires a clearance at or above its level. The
#   clearance of the people who operate and administer the location is compared with
#   the highest level its stage handles (lineage applied).
# scope: package
# custom:
#   id: CLS-PER-001
#   framework: classified
#   severity: error
#   subject: stage
#   citation: EO 13526 4.1(a)
#   remediation: >-
#     Restrict operation and administration of the location to personnel cleared at or
#     above the level of the data and set `personnel.clearance` accordingly, or run the
#     stage where they are.
package tdcheck.rules.classified_per_001

import data.tdcheck.lib
import rego.v1

findings := [lib.stage_finding("CLS-PER-001", stage_id, verdict(subject, lib.stage_location[stage_id])) |
	some stage_id in object.keys(lib.classified_subjects)
	subject := lib.classified_subjects[stage_id]
]

verdict(subject, loc) := {
	"failed": lib.clearance_rank(loc) < subject.level,
	"message": [
		subject.label, "; personnel clearance is ", loc.personnel.clearance,
		clearance_note(lib.clearance_rank(loc) < subject.level),
	],
	"path": array.concat(lib.location_path(loc.id, "personnel"), ["clearance"]),
}

clearance_note(true) := ", below the level of the data"

clearance_note(false) := ", at or above the level of the data"
