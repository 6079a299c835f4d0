# METADATA
# title: A transfer carrying regulated data is encrypted in transit
# description: >-
#   Transmission confidentiality: regulated data crossing between locations is
#   protected by cryptography in transit. A declared transfer that carries a
#   regulated dataset (lineage applied) states `encryption_in_transit` other than
#   none (absent means none), unless it goes on removable media under an approved
#   procedure (`channel: removable_media` with an `approval_ref`: physically protected
#   media). Where the only regulated classes of the moving data are phi and pii
#   (unclassified, no controlling ECCN), the severity is the organisation's
#   data.tdcheck.org.hipaa_encryption_severity, since HIPAA makes transmission
#   encryption addressable; otherwise it is an error.
# scope: package
# custom:
#   id: HYB-ENC-001
#   framework: hybrid
#   severity: error
#   subject: movement
#   citation: NIST SP 800-53 SC-8; NIST SP 800-171r2 3.8.6; 45 CFR 164.312(e)(2)(ii)
#   remediation: >-
#     Encrypt the channel of this transfer and set `encryption_in_transit` to tls,
#     tls_fips or end_to_end (tls_fips or end_to_end where federal, CUI or
#     export-controlled data moves); or carry the data on removable media under an
#     approved procedure and record it in `approval_ref`.
package tdcheck.rules.hybrid_enc_001

import data.tdcheck.lib
import rego.v1

# Declared transfers carrying regulated data, then regulated movements no transfer covers.
findings := array.concat(
	[graded(lib.movement_finding("HYB-ENC-001", subject, transfer_verdict(record)), reasons) |
		some i in lib.regulated_transfers
		subject := lib.transfer_subjects[i]
		t := lib.transfers[i]
		record := {
			"index": i,
			"label": lib.regulated_transfer_labels[i],
			"encryption": lib.transfer_encryption[i],
			"media": t.channel == "removable_media",
			"approval": object.get(t, "approval_ref", ""),
		}
		reasons := lib.transfer_regulated_reasons[i]
	],
	[graded(finding, reasons) |
		some record in lib.undeclared_regulated_movements
		finding := lib.movement_finding("HYB-ENC-001", record.view, lib.undeclared_verdict(record, "encryption_in_transit"))
		reasons := lib.regulated_reasons[record.movement.dataset]
	],
)

# PHI and PII only (no other class, no classification level): HIPAA's addressable
# transmission security sets the severity, as for HIPAA-ENC-002.
health_and_personal := {"phi", "pii"}

graded(finding, reasons) := lib.with_severity(finding, lib.org.hipaa_encryption_severity) if {
	count(reasons - health_and_personal) == 0
} else := finding

transfer_verdict(record) := {
	"failed": false,
	"message": [
		record.label, " with encryption_in_transit ", record.encryption,
		", on removable media under approval_ref ", record.approval,
	],
	"path": lib.transfer_path(record.index, "approval_ref"),
} if {
	record.encryption == "none"
	record.media
	record.approval != ""
} else := {
	"failed": record.encryption == "none",
	"message": [record.label, " with encryption_in_transit ", record.encryption],
	"path": lib.transfer_path(record.index, "encryption_in_transit"),
}
