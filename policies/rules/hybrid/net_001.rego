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

findings contains lib.movement_finding("HYB-NET-001", lib.transfer_subject(i), transfer_verdict(i)) if {
	some i in lib.regulated_transfers
}

findings contains finding if {
	some m in lib.undeclared_regulated_movements
	finding := lib.movement_finding("HYB-NET-001", lib.transfer_view(m), lib.undeclared_verdict(m, "channel"))
}

transfer_verdict(i) := {
	"failed": lib.transfers[i].channel == "internet",
	"message": [lib.regulated_transfer_label(i), " over channel ", lib.transfers[i].channel],
	"path": lib.transfer_path(i, "channel"),
}
