# METADATA
# title: Transfers under SCC or BCR have a transfer impact assessment
# description: >-
#   Standard contractual clauses and binding corporate rules protect EU personal data only
#   if the law of the destination lets them work: the exporter assesses that (transfer
#   impact assessment) and adds supplementary measures where needed.
# scope: package
# custom:
#   id: GDPR-TIA-001
#   framework: gdpr
#   severity: warning
#   subject: movement
#   citation: GDPR Art. 46; EDPB Recommendations 01/2020
#   remediation: >-
#     Carry out a transfer impact assessment for this destination (EDPB Recommendations
#     01/2020), adopt the supplementary measures it calls for, and record it in `tia_ref`.
package tdcheck.rules.gdpr_tia_001

import data.tdcheck.lib
import rego.v1

findings contains lib.movement_finding("GDPR-TIA-001", lib.transfer_subject(i), transfer_verdict(i)) if {
	some i in lib.gdpr_transfers
	lib.gdpr_mechanism(i) in {"scc", "bcr"}
}

tia(i) := object.get(lib.transfers[i], "tia_ref", "")

transfer_verdict(i) := {
	"failed": true,
	"message": [lib.gdpr_transfer_label(i), " under ", lib.gdpr_mechanism(i), " without a tia_ref"],
	"path": lib.transfer_path(i, "tia_ref"),
} if {
	tia(i) == ""
}

else := {
	"failed": false,
	"message": [lib.gdpr_transfer_label(i), " under ", lib.gdpr_mechanism(i), "; tia_ref ", tia(i)],
	"path": lib.transfer_path(i, "tia_ref"),
}
