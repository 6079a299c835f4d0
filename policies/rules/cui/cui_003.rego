# METADATA
# title: CUI is not protected with FIPS 140-2 modules after their sunset
# description: >-
#   On 21 Sep 2026 the NIST CMVP moves every FIPS 140-2 certificate to the Historical
#   list: from that date (the as-of date of the check) modules validated only under
#   FIPS 140-2 should be replaced by FIPS 140-3 modules.
# scope: package
# custom:
#   id: CUI-003
#   framework: cui
#   severity: warning
#   subject: stage
#   citation: NIST CMVP FIPS 140-2 sunset
#   remediation: >-
#     Move to FIPS 140-3 validated cryptographic modules and set `fips_140: "140-3"`, or
#     document the transition plan and record a waiver.
package tdcheck.rules.cui_003

import data.tdcheck.lib
import rego.v1

# FIPS 140-2 certificates go to the CMVP Historical list on this date (rules-v1.md).
sunset := "2026-09-21"

findings := [lib.stage_finding("CUI-003", stage_id, verdict(label, lib.stage_location[stage_id])) |
	some stage_id in lib.stages_with_class.cui
	label := lib.handles_labels[stage_id].cui
]

verdict(label, loc) := {
	"failed": true,
	"message": [
		label, "; fips_140 is 140-2, whose certificates are historical from ",
		sunset, " (as of ", lib.as_of, ")",
	],
	"path": lib.location_path(loc.id, "fips_140"),
} if {
	loc.fips_140 == "140-2"
	lib.as_of >= sunset
} else := {
	"failed": false,
	"message": [
		label, "; fips_140 is ", loc.fips_140, " (FIPS 140-2 sunset ", sunset,
		", as of ", lib.as_of, ")",
	],
	"path": lib.location_path(loc.id, "fips_140"),
}
