# METADATA
# title: Transfers under SCC or BCR have a transfer impact assessment
# description: >-
#   Standard contractual clauses and binding corporate rules protect EU personal data only
#   if the law of the destination lets them work: the exporter assesses that (transfer
#   impact assessment) and adds supplementary measures where needed. Under the SCCs the
#   assessment is a contractual obligation (Clause 14), so a missing one is an error.
# scope: package
# custom:
#   id: GDPR-TIA-001
#   framework: gdpr
#   severity: error
#   subject: movement
#   citation: GDPR Art. 46; Decision (EU) 2021/914 Annex Clause 14(b), (d); EDPB Recommendations 01/2020
#   remediation: >-
#     Carry out a transfer impact assessment for this destination (EDPB Recommendations
#     01/2020), adopt the supplementary measures it calls for, and record it in `tia_ref`.
package tdcheck.rules.gdpr_tia_001

import data.tdcheck.lib
import rego.v1

findings := [lib.movement_finding("GDPR-TIA-001", lib.transfer_subjects[i], transfer_verdict(record)) |
	some i in lib.gdpr_transfers
	mechanism := lib.gdpr_mechanisms[i]
	mechanism in {"scc", "bcr"}
	record := {
		"index": i,
		"label": lib.gdpr_transfer_labels[i],
		"mechanism": mechanism,
		"tia": object.get(lib.transfers[i], "tia_ref", ""),
	}
]

transfer_verdict(record) := {
	"failed": true,
	"message": [record.label, " under ", record.mechanism, " without a tia_ref"],
	"path": lib.transfer_path(record.index, "tia_ref"),
} if {
	record.tia == ""
}

else := {
	"failed": false,
	"message": [record.label, " under ", record.mechanism, "; tia_ref ", record.tia],
	"path": lib.transfer_path(record.index, "tia_ref"),
}
