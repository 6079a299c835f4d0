# METADATA
# title: PHI moving between locations is encrypted in transit
# description: >-
#   Every movement of PHI between locations, declared or implied by lineage, is
#   covered by a declared transfer with encryption in transit. Severity follows
#   data.tdcheck.org.hipaa_encryption_severity.
# scope: package
# custom:
#   id: HIPAA-ENC-002
#   framework: hipaa
#   severity: warning
#   severity_from: data.tdcheck.org.hipaa_encryption_severity
#   subject: movement
#   citation: 45 CFR 164.312(e)(1)
#   remediation: >-
#     Declare a transfer for this movement with `encryption_in_transit` set to tls,
#     tls_fips or end_to_end.
package tdcheck.rules.hipaa_enc_002

import data.tdcheck.lib
import rego.v1

findings contains finding if {
	some movement in lib.movements_with_class("phi")
	finding := lib.with_severity(
		lib.movement_finding("HIPAA-ENC-002", lib.transfer_view(movement), movement_verdict(movement)),
		lib.org.hipaa_encryption_severity,
	)
}

unencrypted(movement) := {i | some i in lib.covering_transfers(movement); lib.encryption(i) == "none"}

movement_verdict(movement) := {
	"failed": true,
	"message": ["PHI ", lib.movement_label(movement), " is not covered by any declared transfer, so nothing encrypts it"],
	"path": lib.movement_path(movement),
} if {
	not lib.declared(movement)
}

else := {
	"failed": true,
	"message": [
		"PHI ", lib.movement_label(movement), " goes over ",
		lib.list({lib.transfer_label(i) | some i in unencrypted(movement)}),
		" with encryption_in_transit none",
	],
	"path": lib.transfer_path(lib.smallest(unencrypted(movement)), "encryption_in_transit"),
} if {
	count(unencrypted(movement)) > 0
}

else := {
	"failed": false,
	"message": [
		"PHI ", lib.movement_label(movement), " is encrypted in transit (",
		lib.list({lib.encryption(i) | some i in lib.covering_transfers(movement)}), ")",
	],
	"path": lib.movement_path(movement),
}
