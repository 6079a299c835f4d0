# METADATA
# title: Classified data moves only to accredited locations, over an approved cross-domain route
# description: >-
#   Every movement of classified data, declared or implied by lineage, goes to a location
#   accredited for its level and is covered by a declared transfer that uses an approved
#   cross-domain solution or an approved removable-media procedure (`approval_ref`). Two
#   locations that are both on a classified network may exchange it over that network,
#   declared or not: an undeclared movement between them is judged on accreditation only
#   (HYB-DECL-001 reports the missing declaration).
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

findings := [lib.movement_finding("CLS-XFER-001", record.view, movement_verdict(record)) |
	some record in lib.movement_records
	lib.dataset_facts[record.movement.dataset].level > 0
]

approved_channels := {"cross_domain_solution", "removable_media"}

level_of(record) := lib.level_name[lib.dataset_facts[record.movement.dataset].level]

classified_networks(record) if {
	lib.locations[record.movement.from].network == "classified"
	lib.locations[record.movement.to].network == "classified"
}

# Per declared transfer (by index): whether it is an approved cross-domain route, how
# messages name it ("transfer t1 (channel vpn, approval_ref none)"), and the field an
# unapproved one fails on.
approved := {i |
	t := lib.transfers[i]
	t.channel in approved_channels
	object.get(t, "approval_ref", "") != ""
}

routes := {i: [
	lib.transfer_labels[i], " (channel ", t.channel,
	", approval_ref ", object.get(t, "approval_ref", "none"), ")",
] |
	t := lib.transfers[i]
}

unapproved_paths := {i: lib.transfer_path(i, unapproved_field(t)) | t := lib.transfers[i]}

unapproved_field(t) := "approval_ref" if t.channel in approved_channels

unapproved_field(t) := "channel" if not t.channel in approved_channels

# Covering transfers that are neither approved nor between two classified networks.
unapproved(record) := {i | some i in record.covering; not i in approved}

# One verdict, three outcomes (accreditation, approved channel, pass): kept together.
# regal ignore:rule-length
movement_verdict(record) := {
	"failed": true,
	"message": [
		level_of(record), " ", record.label, "; the classified_accreditation of ",
		record.movement.to, " is ", lib.accreditation_name(destination), ", below ", level_of(record),
	],
	"path": lib.location_path(record.movement.to, "classified_accreditation"),
} if {
	destination := lib.locations[record.movement.to]
	lib.accreditation_rank(destination) < lib.dataset_facts[record.movement.dataset].level
}

else := {
	"failed": false,
	"message": [
		level_of(record), " ", record.label, " stays on classified networks (",
		lib.list({lib.transfer_labels[i] | some i in record.covering}), ")",
	],
	"path": record.path,
} if {
	classified_networks(record)
	record.declared
}

# Two accredited classified networks may exchange the data directly, declared or not:
# the missing declaration is HYB-DECL-001's finding, not a cross-domain failure.
else := {
	"failed": false,
	"message": [
		level_of(record), " ", record.label, " stays on classified networks",
		" (no transfer declares it: see HYB-DECL-001)",
	],
	"path": record.path,
} if {
	classified_networks(record)
}

else := {
	"failed": true,
	"message": [
		level_of(record), " ", record.label,
		" is not covered by any declared transfer, so no approved cross-domain route carries it",
	],
	"path": record.path,
} if {
	not record.declared
}

else := {
	"failed": true,
	"message": [
		level_of(record), " ", record.label, " goes over ",
		lib.list({routes[i] | some i in unapproved(record)}),
		"; classified data needs a cross_domain_solution or removable_media channel with an approval_ref",
	],
	"path": unapproved_paths[lib.smallest(unapproved(record))],
} if {
	count(unapproved(record)) > 0
}

else := {
	"failed": false,
	"message": [
		level_of(record), " ", record.label, " goes over ",
		lib.list({routes[i] | some i in record.covering}),
	],
	"path": record.path,
}
