# METADATA
# title: CUI moving between locations is protected by FIPS-validated cryptography
# description: >-
#   CUI in transit is protected by cryptography implemented in FIPS 140 validated modules
#   (NIST SP 800-171r2 3.13.8 with 3.13.11): every movement of CUI, declared or implied by
#   lineage, is covered by a declared transfer with `encryption_in_transit` tls_fips or
#   end_to_end. Plain tls is not validated; none, or no covering transfer, fails. The one
#   exception is approved removable media (`channel: removable_media` with an
#   `approval_ref`), whose alternative physical safeguards 3.8.6 allows; a cross-domain
#   solution is not a physical safeguard and does not exempt the movement.
# scope: package
# custom:
#   id: CUI-004
#   framework: cui
#   severity: error
#   subject: movement
#   citation: NIST SP 800-171r2 3.13.8, 3.13.11, 3.8.6
#   remediation: >-
#     Declare a transfer for this movement with `encryption_in_transit: tls_fips` (TLS
#     through FIPS 140 validated modules) or `end_to_end`; or carry the data on removable
#     media under an approved procedure (`channel: removable_media`, `approval_ref`).
package tdcheck.rules.cui_004

import data.tdcheck.lib
import rego.v1

validated := {"tls_fips", "end_to_end"}

findings := [lib.movement_finding("CUI-004", record.view, movement_verdict(record)) |
	some record in lib.movement_records
	"cui" in lib.dataset_facts[record.movement.dataset].classes
]

# Covering transfers (indices) by what they offer: approved removable media, validated
# encryption, or neither.
approved_media := {i |
	t := lib.transfers[i]
	t.channel == "removable_media"
	object.get(t, "approval_ref", "") != ""
}

unprotected(record) := {i |
	some i in record.covering
	not i in approved_media
	not lib.transfer_encryption[i] in validated
}

movement_verdict(record) := {
	"failed": true,
	"message": [
		"CUI ", record.label,
		" is not covered by any declared transfer, so nothing encrypts it with validated modules",
	],
	"path": record.path,
} if {
	not record.declared
} else := {
	"failed": true,
	"message": [
		"CUI ", record.label, " goes over ",
		lib.list({lib.transfer_labels[i] | some i in unprotected(record)}), " with encryption_in_transit ",
		lib.list({lib.transfer_encryption[i] | some i in unprotected(record)}),
		", not tls_fips or end_to_end (FIPS 140 validated), and not on approved removable media",
	],
	"path": lib.transfer_path(lib.smallest(unprotected(record)), "encryption_in_transit"),
} if {
	count(unprotected(record)) > 0
} else := {
	"failed": false,
	"message": [
		"CUI ", record.label, " is protected in transit: it goes over ",
		lib.list({routes[i] | some i in record.covering}),
	],
	"path": record.path,
}

# "transfer t1 (channel vpn, encryption_in_transit tls_fips)" per declared transfer.
routes := {i: [
	lib.transfer_labels[i], " (channel ", t.channel,
	", encryption_in_transit ", lib.transfer_encryption[i], ")",
] |
	t := lib.transfers[i]
}
