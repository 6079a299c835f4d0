# METADATA
# title: Classified data moves only to accredited locations, over an approved cross-domain route
# description: >-
#   Every movement of classified data, declared or implied by lineage, goes to a location
#   accredited for its level and is covered by a declared transfer that uses an approved
#   cross-domain solution or an approved removable-media procedure (`approval_ref`). Two
#   locations that are both on a classified network may exchange it over that network.
# scope: package
# custom:
#   id: CLS-XFER-001
#   framework: classified
#   severity: error
#   subject: movement
#   citation: DoDI 8540.01; CNSSI 4009
#   remediation: >-
#     Send classified data only to locations whose `classified_accreditation` covers its
#     level, and declare the transfer with `channel: cross_domain_solution` (an NCDSMO
#     baseline solution) or `channel: removable_media` under an approved procedure,
#     recording the approval in `approval_ref`; between two locations on
#     `network: classified`, declare the transfer over that network.
package tdcheck.rules.classified_xfer_001

import data.tdcheck.lib
import rego.v1

findings contains lib.movement_finding("CLS-XFER-001", lib.transfer_view(movement), movement_verdict(movement)) if {
	some movement in lib.movements
	lib.dataset_facts[movement.dataset].level > 0
}

approved_channels := {"cross_domain_solution", "removable_media"}

level_of(movement) := lib.level_name[lib.dataset_facts[movement.dataset].level]

classified_networks(movement) if {
	lib.locations[movement.from].network == "classified"
	lib.locations[movement.to].network == "classified"
}

approval(i) := object.get(lib.transfers[i], "approval_ref", "")

approved(i) if {
	lib.transfers[i].channel in approved_channels
	approval(i) != ""
}

# Covering transfers that are neither approved nor between two classified networks.
unapproved(movement) := {i | some i in lib.covering_transfers(movement); not approved(i)}

movement_verdict(movement) := {
	"failed": true,
	"message": [
		level_of(movement), " ", lib.movement_label(movement), "; the classified_accreditation of ",
		movement.to, " is ", lib.accreditation_name(destination), ", below ", level_of(movement),
	],
	"path": lib.location_path(movement.to, "classified_accreditation"),
} if {
	destination := lib.locations[movement.to]
	lib.accreditation_rank(destination) < lib.dataset_facts[movement.dataset].level
}

else := {
	"failed": true,
	"message": [
		level_of(movement), " ", lib.movement_label(movement),
		" is not covered by any declared transfer, so no approved cross-domain route carries it",
	],
	"path": lib.movement_path(movement),
} if {
	not lib.declared(movement)
}

else := {
	"failed": false,
	"message": [
		level_of(movement), " ", lib.movement_label(movement), " stays on classified networks (",
		lib.list({lib.transfer_label(i) | some i in lib.covering_transfers(movement)}), ")",
	],
	"path": lib.movement_path(movement),
} if {
	classified_networks(movement)
}

else := {
	"failed": true,
	"message": [
		level_of(movement), " ", lib.movement_label(movement), " goes over ",
		lib.list({route(i) | some i in unapproved(movement)}),
		"; classified data needs a cross_domain_solution or removable_media channel with an approval_ref",
	],
	"path": unapproved_path(lib.smallest(unapproved(movement))),
} if {
	count(unapproved(movement)) > 0
}

else := {
	"failed": false,
	"message": [
		level_of(movement), " ", lib.movement_label(movement), " goes over ",
		lib.list({route(i) | some i in lib.covering_transfers(movement)}),
	],
	"path": lib.movement_path(movement),
}

# "transfer t1 (channel vpn, approval_ref none)"
route(i) := [
	lib.transfer_label(i), " (channel ", lib.transfers[i].channel,
	", approval_ref ", object.get(lib.transfers[i], "approval_ref", "none"), ")",
]

unapproved_path(i) := lib.transfer_path(i, "approval_ref") if lib.transfers[i].channel in approved_channels

unapproved_path(i) := lib.transfer_path(i, "channel") if not lib.transfers[i].channel in approved_channels
