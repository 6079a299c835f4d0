# METADATA
# title: A transfer carrying regulated data is encrypted in transit
# description: >-
#   Transmission confidentiality: regulated data crossing between locations is
#   protected by cryptography in transit. A declared transfer that carries a
#   regulated dataset (lineage applied) states `encryption_in_transit` other than
#   none; absent means none.
# scope: package
# custom:
#   id: HYB-ENC-001
#   framework: hybrid
#   severity: error
#   subject: movement
#   citation: NIST SP 800-53 SC-8
#   remediation: >-
#     Encrypt the channel of this transfer and set `encryption_in_transit` to tls,
#     tls_fips or end_to_end (tls_fips or end_to_end where federal, CUI or
#     export-controlled data moves).
package tdcheck.rules.hybrid_enc_001

import data.tdcheck.lib
import rego.v1

# Declared transfers carrying regulated data, then regulated movements no transfer covers.
findings := array.concat(
	[lib.movement_finding("HYB-ENC-001", subject, transfer_verdict(record)) |
		some i in lib.regulated_transfers
		subject := lib.transfer_subjects[i]
		record := {"index": i, "label": lib.regulated_transfer_labels[i], "encryption": lib.transfer_encryption[i]}
	],
	[lib.movement_finding("HYB-ENC-001", record.view, lib.undeclared_verdict(record, "encryption_in_transit")) |
		some record in lib.undeclared_regulated_movements
	],
)

transfer_verdict(record) := {
	"failed": record.encryption == "none",
	"message": [record.label, " with encryption_in_transit ", record.encryption],
	"path": lib.transfer_path(record.index, "encryption_in_transit"),
}
