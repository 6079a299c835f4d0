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

findings contains lib.movement_finding("HYB-DECL-001", lib.transfer_view(movement), movement_verdict(movement)) if {
	some movement in lib.regulated_movements
}

movement_verdict(movement) := {
	"failed": true,
	"message": [
		"regulated data (", lib.list(lib.regulated_reasons(movement.dataset)), "): ",
		lib.movement_label(movement), " is not declared by any transfer",
	],
	"path": lib.movement_path(movement),
} if {
	not lib.declared(movement)
}

else := {
	"failed": false,
	"message": [
		"regulated data (", lib.list(lib.regulated_reasons(movement.dataset)), "): ",
		lib.movement_label(movement), " is declared by ",
		lib.list({lib.transfer_label(i) | some i in lib.covering_transfers(movement)}),
	],
	"path": lib.movement_path(movement),
}
