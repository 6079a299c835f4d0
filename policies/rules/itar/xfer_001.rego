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

findings := [lib.movement_finding("ITAR-XFER-001", record.view, movement_verdict(record)) |
	some record in lib.movement_records
	"itar" in lib.dataset_facts[record.movement.dataset].classes
]

crosses_border(record) if not lib.us(lib.locations[record.movement.from])

crosses_border(record) if not lib.us(lib.locations[record.movement.to])

not_end_to_end(record) := {i | some i in record.covering; lib.transfer_encryption[i] != "end_to_end"}

movement_verdict(record) := {
	"failed": false,
	"message": ["ITAR ", record.label, " stays in the US"],
	"path": record.path,
} if {
	not crosses_border(record)
} else := {
	"failed": true,
	"message": [
		"ITAR ", record.label, " touches a location outside the US and no declared transfer covers it, ",
		"so nothing encrypts it end to end",
	],
	"path": record.path,
} if {
	not record.declared
} else := {
	"failed": true,
	"message": [
		"ITAR ", record.label, " touches a location outside the US and goes over ",
		lib.list({lib.transfer_labels[i] | some i in not_end_to_end(record)}), " with encryption_in_transit ",
		lib.list({lib.transfer_encryption[i] | some i in not_end_to_end(record)}), ", not end_to_end",
	],
	"path": lib.transfer_path(lib.smallest(not_end_to_end(record)), "encryption_in_transit"),
} if {
	count(not_end_to_end(record)) > 0
} else := {
	"failed": false,
	"message": ["ITAR ", record.label, " is encrypted end to end (encryption_in_transit end_to_end)"],
	"path": record.path,
}
