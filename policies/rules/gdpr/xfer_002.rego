# METADATA
# title: Art. 49 derogations do not carry recurring transfers of EU personal data
# description: >-
#   Derogations (explicit consent, contract, ...) are for occasional, non-systematic
#   transfers. A pipeline edge that moves EU personal data out of the EEA again and
#   again (`recurring`, the default) needs an Art. 45-46 mechanism instead.
# scope: package
# custom:
#   id: GDPR-XFER-002
#   framework: gdpr
#   severity: error
#   subject: movement
#   citation: GDPR Art. 49(1), Recital 111; EDPB Guidelines 2/2018
#   remediation: >-
#     Base the recurring transfer on an adequacy decision, DPF certification, standard
#     contractual clauses or binding corporate rules (`gdpr_mechanism: scc` or `bcr`
#     with a `tia_ref`), or, if it really happens once, declare `recurring: false`.
package tdcheck.rules.gdpr_xfer_002

import data.tdcheck.lib
import rego.v1

findings := [lib.movement_finding("GDPR-XFER-002", lib.transfer_subjects[i], transfer_verdict(record)) |
	some i in lib.gdpr_transfers
	lib.gdpr_mechanisms[i] == "derogation"
	record := {"index": i, "label": lib.gdpr_transfer_labels[i], "recurring": lib.transfer_recurring[i]}
]

transfer_verdict(record) := {
	"failed": record.recurring,
	"message": [record.label, " under an Art. 49 derogation; recurring is ", record.recurring],
	"path": lib.transfer_path(record.index, "recurring"),
}
