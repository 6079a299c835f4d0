# METADATA
# title: ITAR technical data is processed only in the US
# description: >-
#   ITAR technical data handled at a location outside the US and its territories is
#   exported (released abroad), encrypted or not, unless the stage only stores it
#   encrypted end to end with validated modules (client_side encryption at rest and
#   FIPS 140 modules: 22 CFR 120.54(a)(5)). Training or any other processing decrypts
#   the data on foreign hardware and is a release.
# scope: package
# custom:
#   id: ITAR-LOC-001
#   framework: itar
#   severity: error
#   subject: stage
#   citation: 22 CFR 120.50, 120.54(a)(5), 120.56
#   remediation: >-
#     Move the stage to a location in the US or a US territory; for a storage stage
#     abroad, encrypt client side with keys held by the data owner
#     (`encryption_at_rest: client_side`) using FIPS 140 validated modules
#     (`fips_140: "140-3"`); otherwise obtain an export authorization and record a waiver.
package tdcheck.rules.itar_loc_001

import data.tdcheck.lib
import rego.v1

findings := [lib.stage_finding("ITAR-LOC-001", stage_id, verdict(subject, lib.stage_location[stage_id])) |
	some stage_id in lib.stages_with_class.itar
	subject := {"label": lib.handles_labels[stage_id].itar, "stage": lib.stages[stage_id]}
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
		lib.carve_out_label(subject.stage, loc, "22 CFR 120.54(a)(5)"),
	],
	"path": lib.location_path(loc.id, "encryption_at_rest"),
} if {
	lib.carve_out(subject.stage, loc)
} else := {
	"failed": true,
	"message": [
		subject.label, "; country ", loc.country, " is outside the US, and ",
		lib.carve_out_gap(subject.stage, loc, "22 CFR 120.54(a)(5)"),
	],
	"path": lib.location_path(loc.id, "country"),
}
