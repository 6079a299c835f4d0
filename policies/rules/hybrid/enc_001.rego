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

findings contains lib.movement_finding("HYB-ENC-001", lib.transfer_subject(i), transfer_verdict(i)) if {
	some i in lib.regulated_transfers
}

findings contains finding if {
	some m in lib.undeclared_regulated_movements
	verdict := lib.undeclared_verdict(m, "encryption_in_transit")
	finding := lib.movement_finding("HYB-ENC-001", lib.transfer_view(m), verdict)
}

transfer_verdict(i) := {
	"failed": lib.encryption(i) == "none",
	"message": [lib.regulated_transfer_label(i), " with encryption_in_transit ", lib.encryption(i)],
	"path": lib.transfer_path(i, "encryption_in_transit"),
}
