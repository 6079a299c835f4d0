# METADATA
# title: EAR-controlled data handled outside the US needs a licence determination
# description: >-
#   Technology or software subject to the EAR (class `ear`, or an ECCN other than
#   EAR99, lineage applied) handled at a location outside the US and its territories
#   is an export unless the stage only stores it encrypted end to end with validated
#   modules (client_side encryption at rest and FIPS 140 modules: 15 CFR 734.18(a)(5)):
#   a licence determination for the ECCN and destination is needed.
# scope: package
# custom:
#   id: EAR-LOC-001
#   framework: ear
#   severity: warning
#   subject: stage
#   citation: 15 CFR 734.18(a)(5)
#   remediation: >-
#     Determine whether the ECCN needs a licence for this destination and record the
#     determination as a waiver; or move the stage to the US; or, for a storage stage,
#     encrypt client side (`encryption_at_rest: client_side`) with FIPS 140 validated
#     modules (`fips_140: "140-3"`).
package tdcheck.rules.ear_loc_001

import data.tdcheck.lib
import rego.v1

findings := [lib.stage_finding("EAR-LOC-001", stage_id, verdict(subject, lib.stage_location[stage_id])) |
	some stage_id in lib.stages_with_class.ear
	subject := {"label": lib.handles_labels[stage_id].ear, "stage": lib.stages[stage_id]}
]

verdict(subject, loc) := {
	"failed": false,
	"message": [subject.label, "; country ", loc.country, " is the US or a US territory"],
	"path": lib.location_path(loc.id, "country"),
} if {
	lib.us(loc)
} else := {
	"failed": false,
	"message": [
		subject.label, "; country ", loc.country, " is outside the US, but ",
		lib.carve_out_label(subject.stage, loc, "15 CFR 734.18(a)(5)"),
	],
	"path": lib.location_path(loc.id, "encryption_at_rest"),
} if {
	lib.carve_out(subject.stage, loc)
} else := {
	"failed": true,
	"message": [
		subject.label, "; country ", loc.country, " is outside the US, and ",
		lib.carve_out_gap(subject.stage, loc, "15 CFR 734.18(a)(5)"), ": a licence determination is needed",
	],
	"path": lib.location_path(loc.id, "country"),
}
