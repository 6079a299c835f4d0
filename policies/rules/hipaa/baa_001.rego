# METADATA
# title: A third party handling PHI is covered by a Business Associate Agreement
# description: >-
#   A location run by a third party (a cloud provider, a colocation operator, a
#   managed private cloud) that stores or processes PHI is a business associate.
#   Encryption does not remove the BAA duty.
# scope: package
# custom:
#   id: HIPAA-BAA-001
#   framework: hipaa
#   severity: error
#   subject: stage
#   citation: 45 CFR 164.502(e), 164.504(e), 164.308(b)(1)
#   remediation: >-
#     Sign a Business Associate Agreement with the operator of this location and set
#     `hipaa_baa: true`, or run the stage at a location you operate yourself.
package tdcheck.rules.hipaa_baa_001

import data.tdcheck.lib
import rego.v1

findings := [lib.stage_finding("HIPAA-BAA-001", stage_id, verdict(label, lib.stage_location[stage_id])) |
	some stage_id in lib.stages_with_class.phi
	label := lib.handles_labels[stage_id].phi
]

verdict(label, loc) := {
	"failed": true,
	"message": [
		label,
		"; its operator is a third party and no BAA covers it (hipaa_baa is false)",
	],
	"path": lib.location_path(loc.id, "hipaa_baa"),
} if {
	lib.third_party(loc)
	not loc.hipaa_baa
}

else := {
	"failed": false,
	"message": [label, "; operator ", loc.operator, ", hipaa_baa ", loc.hipaa_baa],
	"path": lib.location_path(loc.id, "hipaa_baa"),
}
