# METADATA
# title: DoD data in a third-party location stays in the US
# description: >-
#   A location run by a third party that handles DoD data with an impact level is in
#   the United States or a US territory (PR, GU, VI, AS, MP, UM).
# scope: package
# custom:
#   id: DOD-IL-002
#   framework: dod_srg
#   severity: error
#   subject: stage
#   citation: DoD CC SRG location requirements; DFARS 252.239-7010(b)(3)
#   remediation: >-
#     Move the stage to a region in the United States or a US territory, or obtain the
#     contracting officer's written authorization for another location and record a waiver.
package tdcheck.rules.dod_srg_il_002

import data.tdcheck.lib
import rego.v1

findings := [lib.stage_finding("DOD-IL-002", stage_id, verdict(subject, lib.stage_location[stage_id])) |
	some stage_id in object.keys(lib.dod_subjects)
	subject := lib.dod_subjects[stage_id]
]

verdict(subject, loc) := {
	"failed": true,
	"message": [subject.label, "; country ", loc.country, " is outside the US and its territories"],
	"path": lib.location_path(loc.id, "country"),
} if {
	not lib.us(loc)
} else := {
	"failed": false,
	"message": [subject.label, "; country ", loc.country, " is the US or a US territory"],
	"path": lib.location_path(loc.id, "country"),
}
