# METADATA
# title: A transfer carrying regulated data does not cross the public internet
# description: >-
#   Boundary protection: regulated data moves between locations over managed
#   interfaces (VPN, private link, cross-domain solution, removable media under a
#   procedure), not over the public internet, even when encrypted. A documented
#   alternative may justify a waiver.
# scope: package
# custom:
#   id: HYB-NET-001
#   framework: hybrid
#   severity: warning
#   subject: movement
#   citation: NIST SP 800-53 SC-7
#   remediation: >-
#     Move this transfer onto a private interconnect (`channel: private_link`, for
#     example Direct Connect, ExpressRoute or Interconnect) or a site-to-site VPN
#     (`channel: vpn`); if the internet path is a deliberate, protected choice,
#     record a waiver with the justification.
package tdcheck.rules.hybrid_net_001

import data.tdcheck.lib
import rego.v1

# Declared transfers carrying regulated data, then regulated movements no transfer covers.
findings := array.concat(
	[lib.movement_finding("HYB-NET-001", subject, transfer_verdict(record)) |
		some i in lib.regulated_transfers
		subject := lib.transfer_subjects[i]
		record := {"index": i, "label": lib.regulated_transfer_labels[i], "channel": lib.transfers[i].channel}
	],
	[lib.movement_finding("HYB-NET-001", record.view, lib.undeclared_verdict(record, "channel")) |
		some record in lib.undeclared_regulated_movements
	],
)

transfer_verdict(record) := {
	"failed": record.channel == "internet",
	"message": [record.label, " over channel ", record.channel],
	"path": lib.transfer_path(record.index, "channel"),
}
