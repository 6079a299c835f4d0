# METADATA
# title: Every movement of regulated data between locations is declared
# description: >-
#   A dataset written at one location and read at another crosses a boundary. When
#   the data is regulated (a class other than public or internal, or a
#   classification level above unclassified, lineage applied: a model trained on PII
#   is regulated), a transfer must declare the crossing (from, to, dataset), so its
#   channel and encryption are stated and can be checked.
# scope: package
# custom:
#   id: HYB-DECL-001
#   framework: hybrid
#   severity: error
#   subject: movement
#   citation: "hybrid governance: every boundary crossing declared"
#   remediation: >-
#     Add a transfer to `spec.transfers` with this `from`, `to` and the dataset in
#     `datasets`, stating its `channel` and `encryption_in_transit`; or run the
#     reading stage where the dataset is written.
package tdcheck.rules.hybrid_decl_001

import data.tdcheck.lib
import rego.v1

findings := [lib.movement_finding("HYB-DECL-001", record.view, movement_verdict(record)) |
	some record in lib.movement_records
	lib.regulated_reasons[record.movement.dataset]
]

movement_verdict(record) := {
	"failed": true,
	"message": [
		"regulated data (", lib.list(lib.regulated_reasons[record.movement.dataset]), "): ",
		record.label, " is not declared by any transfer",
	],
	"path": record.path,
} if {
	not record.declared
}

else := {
	"failed": false,
	"message": [
		"regulated data (", lib.list(lib.regulated_reasons[record.movement.dataset]), "): ",
		record.label, " is declared by ",
		lib.list({lib.transfer_labels[i] | some i in record.covering}),
	],
	"path": record.path,
}
