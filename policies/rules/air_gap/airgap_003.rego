# METADATA
# title: Transfers to or from an air-gapped location cross only by cross-domain solution or removable media
# description: >-
#   Data reaches or leaves an air-gapped location only under human control: an approved
#   cross-domain solution or removable media. A transfer over the internet, a VPN or a
#   private link is a network connection, which the air gap excludes.
# scope: package
# custom:
#   id: AIRGAP-003
#   framework: air_gap
#   severity: error
#   subject: movement
#   citation: CNSSI 4009; DoDI 8540.01
#   remediation: >-
#     Move the data with an approved cross-domain solution (`channel: cross_domain_solution`)
#     or a controlled removable-media procedure (`channel: removable_media`), and record
#     the approval in `approval_ref`.
package tdcheck.rules.air_gap_airgap_003

import data.tdcheck.lib
import rego.v1

# Declared transfers touching an air-gapped location, then movements across an air gap that
# no transfer covers (rules-v1.md, Terms: such a movement fails the rules that look at the
# transfer's channel; data crossing an air gap undeclared is the case this rule exists for).
findings := array.concat(
	[lib.movement_finding("AIRGAP-003", subject, transfer_verdict(record)) |
		# not `some i, t in`: a parse error inside comprehensions on the embedded engine
		t := lib.transfers[i]
		touched(t)
		subject := lib.transfer_subjects[i]
		record := {"index": i, "transfer": t, "label": lib.transfer_labels[i], "ends": air_gapped_ends[i]}
	],
	[lib.movement_finding("AIRGAP-003", record.view, movement_verdict(record)) |
		some record in lib.movement_records
		not record.declared
		air_gapped_end(record.movement)
	],
)

air_gapped_end(m) if m.from in lib.air_gapped_locations

air_gapped_end(m) if m.to in lib.air_gapped_locations

movement_verdict(record) := {
	"failed": true,
	"message": [
		record.label,
		" crosses an air gap and no declared transfer covers it, so its channel is unknown",
	],
	"path": record.path,
}

touched(t) if t.from in lib.air_gapped_locations

touched(t) if t.to in lib.air_gapped_locations

# Per transfer, its air-gapped ends.
air_gapped_ends := {i: {id | some id in [t.from, t.to]; id in lib.air_gapped_locations} | t := lib.transfers[i]}

network_channels := {"internet", "vpn", "private_link"}

transfer_verdict(record) := {
	"failed": t.channel in network_channels,
	"message": [
		record.label, " ", t.from, " -> ", t.to, " touches air-gapped ",
		lib.list(record.ends),
		"; channel is ", t.channel,
	],
	"path": lib.transfer_path(record.index, "channel"),
} if {
	t := record.transfer
}
