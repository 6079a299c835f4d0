# METADATA
# title: EAR technology or software in the clear is released only to US persons
# description: >-
#   Releasing EAR-controlled technology or source code to a foreign person, in the US or
#   abroad, is a deemed export to that person's most recent country of citizenship or
#   permanent residency (15 CFR 734.13(a)(2), (b)). A stage handling technology or
#   software (a dataset it handles, or one it derives from, declares an ECCN whose second
#   character is D or E, e.g. 5D002, 9E003), other than one that only stores it under the
#   carve-out of 15 CFR 734.18(a)(5), at a location whose personnel are not US persons
#   only, needs a licence determination for those persons.
# scope: package
# custom:
#   id: EAR-PER-001
#   framework: ear
#   severity: warning
#   subject: stage
#   citation: 15 CFR 734.13(a)(2), (b)
#   remediation: >-
#     Restrict operation and administration of the location to US persons and set
#     `personnel.us_persons_only: true`; or determine whether the ECCN needs a licence
#     for the foreign persons who can access it and record the determination as a waiver;
#     or, for a storage stage, encrypt client side (`encryption_at_rest: client_side`)
#     with FIPS 140 validated modules.
package tdcheck.rules.ear_per_001

import data.tdcheck.lib
import rego.v1

findings := [lib.stage_finding("EAR-PER-001", stage_id, verdict(subject, lib.stage_location[stage_id])) |
	some stage_id in object.keys(lib.stage_ear_technology)
	subject := {
		"label": [
			lib.stage_labels[stage_id], " handles EAR technology or software (",
			lib.list(lib.stage_ear_technology[stage_id]), ")",
		],
		"stage": lib.stages[stage_id],
	}
]

verdict(subject, loc) := {
	"failed": false,
	"message": [subject.label, "; personnel.us_persons_only is true"],
	"path": lib.location_subpath(loc.id, "personnel", "us_persons_only"),
} if {
	loc.personnel.us_persons_only
} else := {
	"failed": false,
	"message": [
		subject.label, "; personnel.us_persons_only is false, but ",
		lib.carve_out_label(subject.stage, loc, "15 CFR 734.18(a)(5)"),
	],
	"path": lib.location_path(loc.id, "encryption_at_rest"),
} if {
	lib.carve_out(subject.stage, loc)
} else := {
	"failed": true,
	"message": [
		subject.label, "; personnel.us_persons_only is false (a release to foreign persons is a deemed export), and ",
		lib.carve_out_gap(subject.stage, loc, "15 CFR 734.18(a)(5)"), ": a licence determination is needed",
	],
	"path": lib.location_subpath(loc.id, "personnel", "us_persons_only"),
}
