# METADATA
# title: ITAR technical data is never stored or processed in a 22 CFR 126.1 country
# description: >-
#   Defence trade with the countries of 22 CFR 126.1 is subject to a policy of denial,
#   and the encryption carve-out of 22 CFR 120.54(a)(5)(iv) excludes storage in them:
#   no encryption and no stage type makes such a location acceptable. The list is
#   dated reference data (data.tdcheck.reference.itar_126_1); an entry inside a dated
#   suspension on the evaluation date (--as-of) is not on it (Cyprus, 126.1(r)).
# scope: package
# custom:
#   id: ITAR-LOC-002
#   framework: itar
#   severity: error
#   subject: stage
#   citation: 22 CFR 126.1; 120.54(a)(5)(iv)
#   remediation: >-
#     Move the stage out of the proscribed country, to the US or a US territory; no
#     encryption, carve-out or licence makes a 126.1 country acceptable for ITAR data.
package tdcheck.rules.itar_loc_002

import data.tdcheck.lib
import rego.v1

findings := [lib.stage_finding("ITAR-LOC-002", stage_id, verdict(label, lib.stage_location[stage_id])) |
	some stage_id in lib.stages_with_class.itar
	label := lib.handles_labels[stage_id].itar
]

verdict(label, loc) := {
	"failed": true,
	"message": [
		label, "; ", loc.country, " is on the 22 CFR 126.1 list (as of ", lib.itar_126_1.as_of,
		"; evaluated on ", lib.as_of, ")",
	],
	"path": lib.location_path(loc.id, "country"),
} if {
	loc.country in lib.itar_126_1_countries
} else := {
	"failed": false,
	"message": [
		label, "; ", loc.country, " is not on the 22 CFR 126.1 list (as of ", lib.itar_126_1.as_of, ")",
		lib.suspension_note(lib.itar_126_1_suspended[loc.country]),
	],
	"path": lib.location_path(loc.id, "country"),
} if {
	lib.itar_126_1_suspended[loc.country]
} else := {
	"failed": false,
	"message": [label, "; ", loc.country, " is not on the 22 CFR 126.1 list (as of ", lib.itar_126_1.as_of, ")"],
	"path": lib.location_path(loc.id, "country"),
}
