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
#   citation: 45 CFR 164.312(e)(1), (e)(2)(ii)
#   remediation: >-
#     Declare a transfer for this movement with `encryption_in_transit` set to tls,
#     tls_fips or end_to_end.
package tdcheck.rules.hipaa_enc_002

import data.tdcheck.lib
import rego.v1

findings := [finding |
	some record in lib.movement_records
	"phi" in lib.dataset_facts[record.movement.dataset].classes
	finding := lib.with_severity(
		lib.movement_finding("HIPAA-ENC-002", record.view, movement_verdict(record)),
		lib.org.hipaa_encryption_severity,
	)
]

unencrypted(record) := {i | some i in record.covering; lib.transfer_encryption[i] == "none"}

movement_verdict(record) := {
	"failed": true,
	"message": ["PHI ", record.label, " is not covered by any declared transfer, so nothing encrypts it"],
	"path": record.path,
} if {
	not record.declared
}

else := {
	"failed": true,
	"message": [
		"PHI ", record.label, " goes over ",
		lib.list({lib.transfer_labels[i] | some i in unencrypted(record)}),
		" with encryption_in_transit none",
	],
	"path": lib.transfer_path(lib.smallest(unencrypted(record)), "encryption_in_transit"),
} if {
	count(unencrypted(record)) > 0
}

else := {
	"failed": false,
	"message": [
		"PHI ", record.label, " is encrypted in transit (",
		lib.list({lib.transfer_encryption[i] | some i in record.covering}), ")",
	],
	"path": record.path,
}
