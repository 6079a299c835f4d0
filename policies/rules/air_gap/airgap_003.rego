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

findings contains lib.movement_finding("AIRGAP-003", lib.transfer_subject(i), transfer_verdict(i)) if {
	some i, t in lib.transfers
	touched(t)
}

# rules-v1.md, Terms: a movement no transfer covers fails the rules that look at the
# transfer's channel; data crossing an air gap undeclared is the case this rule exists for.
findings contains lib.movement_finding("AIRGAP-003", lib.transfer_view(m), movement_verdict(m)) if {
	some m in lib.movements
	not lib.declared(m)
	air_gapped_end(m)
}

air_gapped_end(m) if m.from in lib.air_gapped_locations

air_gapped_end(m) if m.to in lib.air_gapped_locations

movement_verdict(m) := {
	"failed": true,
	"message": [
		lib.movement_label(m),
		" crosses an air gap and no declared transfer covers it, so its channel is unknown",
	],
	"path": lib.movement_path(m),
}

touched(t) if t.from in lib.air_gapped_locations

touched(t) if t.to in lib.air_gapped_locations

# Per transfer, its air-gapped ends (a rule: see the embedded-engine notes in policies/README.md).
air_gapped_ends := {i: {id | some id in [t.from, t.to]; id in lib.air_gapped_locations} | t := lib.transfers[i]}

network_channels := {"internet", "vpn", "private_link"}

transfer_verdict(i) := {
	"failed": t.channel in network_channels,
	"message": [
		lib.transfer_label(i), " ", t.from, " -> ", t.to, " touches air-gapped ",
		lib.list(air_gapped_ends[i]),
		"; channel is ", t.channel,
	],
	"path": lib.transfer_path(i, "channel"),
} if {
	t := lib.transfers[i]
}
