# METADATA
# title: EAR-controlled data is never stored or processed in Country Group D:5 or Russia
# description: >-
#   The encryption carve-out of 15 CFR 734.18(a)(5) never applies to data intentionally
#   stored in a country of Country Group D:5 (U.S. arms embargoed countries, the table
#   of 15 CFR 740 Supp. 1) or in Russia: storing EAR technology or software there is an
#   export, and processing it there is a release, whatever the encryption. The D:5 list
#   is dated reference data (data.tdcheck.reference.ear_d5); an entry inside a dated
#   suspension on the evaluation date (--as-of) is not on it.
# scope: package
# custom:
#   id: EAR-LOC-002
#   framework: ear
#   severity: error
#   subject: stage
#   citation: 15 CFR 734.18(a)(5)(iv); 15 CFR 740 Supp. 1
#   remediation: >-
#     Move the stage out of the Country Group D:5 country or Russia, to the US or a
#     country where a licence determination allows it; encryption does not make such a
#     location acceptable for EAR-controlled technology or software.
package tdcheck.rules.ear_loc_002

import data.tdcheck.lib
import rego.v1

findings := [lib.stage_finding("EAR-LOC-002", stage_id, verdict(label, lib.stage_location[stage_id])) |
	some stage_id in lib.stages_with_class.ear
	label := lib.handles_labels[stage_id].ear
]

verdict(label, loc) := {
	"failed": true,
	"message": [
		label, "; ", loc.country, " is Russia, named by 15 CFR 734.18(a)(5)(iv): ",
		"the encryption carve-out never applies there",
	],
	"path": lib.location_path(loc.id, "country"),
} if {
	loc.country == "RU"
} else := {
	"failed": true,
	"message": [
		label, "; ", loc.country, " is in Country Group D:5 (as of ", lib.ear_d5.as_of,
		"; evaluated on ", lib.as_of, "): the encryption carve-out never applies there",
	],
	"path": lib.location_path(loc.id, "country"),
} if {
	loc.country in lib.ear_d5_countries
} else := {
	"failed": false,
	"message": [
		label, "; ", loc.country, " is neither in Country Group D:5 (as of ", lib.ear_d5.as_of,
		") nor Russia", lib.suspension_note(lib.ear_d5_suspended[loc.country]),
	],
	"path": lib.location_path(loc.id, "country"),
} if {
	lib.ear_d5_suspended[loc.country]
} else := {
	"failed": false,
	"message": [
		label, "; ", loc.country, " is neither in Country Group D:5 (as of ", lib.ear_d5.as_of,
		") nor Russia",
	],
	"path": lib.location_path(loc.id, "country"),
}
