# METADATA
# title: CUI is protected with FIPS-validated cryptography
# description: >-
#   Cryptography that protects the confidentiality of CUI uses FIPS 140 validated
#   modules wherever the CUI is stored or processed.
# scope: package
# custom:
#   id: CUI-002
#   framework: cui
#   severity: error
#   subject: stage
#   citation: NIST SP 800-171r2 3.13.11
#   remediation: >-
#     Use FIPS 140-3 (or, until 21 Sep 2026, FIPS 140-2) validated cryptographic modules
#     at this location and set `fips_140: "140-3"`.
package tdcheck.rules.cui_002

import data.tdcheck.lib
import rego.v1

findings := [lib.stage_finding("CUI-002", stage_id, verdict(label, lib.stage_location[stage_id])) |
	some stage_id in lib.stages_with_class.cui
	label := lib.handles_labels[stage_id].cui
]

verdict(label, loc) := {
	"failed": loc.fips_140 == "none",
	"message": [label, "; fips_140 is ", loc.fips_140],
	"path": lib.location_path(loc.id, "fips_140"),
}
