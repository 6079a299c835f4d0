# METADATA
# title: PHI is encrypted at rest where it is stored or processed
# description: >-
#   Encryption at rest is an addressable implementation specification of the HIPAA
#   Security Rule. Its severity is the organisation's choice
#   (data.tdcheck.org.hipaa_encryption_severity, warning by default).
# scope: package
# custom:
#   id: HIPAA-ENC-001
#   framework: hipaa
#   severity: warning
#   severity_from: data.tdcheck.org.hipaa_encryption_severity
#   subject: stage
#   citation: 45 CFR 164.312(a)(2)(iv)
#   remediation: >-
#     Turn on encryption at rest for the storage this location uses and set
#     `encryption_at_rest` to provider_managed, customer_managed or client_side; or
#     document an equivalent alternative and record a waiver.
package tdcheck.rules.hipaa_enc_001

import data.tdcheck.lib
import rego.v1

findings := [finding |
	some stage_id in lib.stages_with_class.phi
	loc := lib.stage_location[stage_id]
	verdict := {
		"failed": loc.encryption_at_rest == "none",
		"message": [lib.handles_labels[stage_id].phi, "; encryption_at_rest is ", loc.encryption_at_rest],
		"path": lib.location_path(loc.id, "encryption_at_rest"),
	}
	finding := lib.with_severity(
		lib.stage_finding("HIPAA-ENC-001", stage_id, verdict),
		lib.org.hipaa_encryption_severity,
	)
]
