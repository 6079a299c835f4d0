# METADATA
# title: ITAR data crossing the US border moves encrypted end to end
# description: >-
#   Sending ITAR technical data to or from a location outside the US and its
#   territories is not an export only when it is encrypted end to end: never in the
#   clear between the two security boundaries, keys not given to any third party
#   (`encryption_in_transit: end_to_end`). TLS terminated by a provider is not.
# scope: package
# custom:
#   id: ITAR-XFER-001
#   framework: itar
#   severity: error
#   subject: movement
#   citation: 22 CFR 120.54(a)(5)(ii)
#   remediation: >-
#     Declare a transfer for this movement with `encryption_in_transit: end_to_end`
#     (client-side encryption, keys held by the data owner), or keep the data in the US.
package tdcheck.rules.itar_xfer_001

import data.tdcheck.lib
import rego.v1

findings contains lib.movement_finding("ITAR-XFER-001", lib.transfer_view(movement), movement_verdict(movement)) if {
	some movement in lib.movements_with_class("itar")
}

crosses_border(movement) if not lib.us(lib.locations[movement.from])

crosses_border(movement) if not lib.us(lib.locations[movement.to])

not_end_to_end(movement) := {i | some i in lib.covering_transfers(movement); lib.encryption(i) != "end_to_end"}

movement_verdict(movement) := {
	"failed": false,
	"message": ["ITAR ", lib.movement_label(movement), " stays in the US"],
	"path": lib.movement_path(movement),
} if {
	not crosses_border(movement)
} else := {
	"failed": true,
	"message": [
		"ITAR ", lib.movement_label(movement), " touches a location outside the US and no declared transfer covers it, ",
		"so nothing encrypts it end to end",
	],
	"path": lib.movement_path(movement),
} if {
	not lib.declared(movement)
} else := {
	"failed": true,
	"message": [
		"ITAR ", lib.movement_label(movement), " touches a location outside the US and goes over ",
		lib.list({lib.transfer_label(i) | some i in not_end_to_end(movement)}), " with encryption_in_transit ",
		lib.list({lib.encryption(i) | some i in not_end_to_end(movement)}), ", not end_to_end",
	],
	"path": lib.transfer_path(lib.smallest(not_end_to_end(movement)), "encryption_in_transit"),
} if {
	count(not_end_to_end(movement)) > 0
} else := {
	"failed": false,
	"message": ["ITAR ", lib.movement_label(movement), " is encrypted end to end (encryption_in_transit end_to_end)"],
	"path": lib.movement_path(movement),
}
