# METADATA
# title: Classified data is handled only where the location is accredited for its level
# description: >-
#   A stage that handles classified data (lineage applied: a model trained on SECRET data
#   is SECRET) runs only at a location whose classified accreditation is at or above the
#   highest level the stage handles.
# scope: package
# custom:
#   id: CLS-ACC-001
#   framework: classified
#   severity: error
#   subject: stage
#   citation: 32 CFR 117.18; ICD 503
#   remediation: >-
#     Run the stage at a location accredited by the cognizant authority (DCSA, DoD AO or
#     IC AO) for the level of the data and set `classified_accreditation` to that level,
#     or keep data of this level out of the stage.
package tdcheck.rules.classified_acc_001

import data.tdcheck.lib
import rego.v1

findings := [lib.stage_finding("CLS-ACC-001", stage_id, verdict(subject, lib.stage_location[stage_id])) |
	some stage_id in object.keys(lib.classified_subjects)
	subject := lib.classified_subjects[stage_id]
]

verdict(subject, loc) := {
	"failed": lib.accreditation_rank(loc) < subject.level,
	"message": [
		subject.label, "; classified_accreditation is ", lib.accreditation_name(loc),
		accreditation_note(lib.accreditation_rank(loc) < subject.level),
	],
	"path": lib.location_path(loc.id, "classified_accreditation"),
}

accreditation_note(true) := ", below the level of the data"

accreditation_note(false) := ", at or above the level of the data"
