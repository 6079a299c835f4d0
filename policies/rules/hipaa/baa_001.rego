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

findings contains lib.stage_finding("HIPAA-BAA-001", stage_id, verdict(stage_id, lib.location_of(stage_id))) if {
	some stage_id in lib.stages_handling("phi")
}

verdict(stage_id, loc) := {
	"failed": true,
	"message": [
		lib.handles_label(stage_id, "phi"),
		"; its operator is a third party and no BAA covers it (hipaa_baa is false)",
	],
	"path": lib.location_path(loc.id, "hipaa_baa"),
} if {
	lib.third_party(loc)
	not loc.hipaa_baa
}

else := {
	"failed": false,
	"message": [lib.handles_label(stage_id, "phi"), "; operator ", loc.operator, ", hipaa_baa ", loc.hipaa_baa],
	"path": lib.location_path(loc.id, "hipaa_baa"),
}
