# METADATA
# title: Access to PHI is logged and reviewed where it is stored or processed
# description: >-
#   Audit controls (hardware, software and procedures that record and examine
#   activity in systems holding ePHI) are a required standard of the HIPAA Security
#   Rule, with no addressable alternative.
# scope: package
# custom:
#   id: HIPAA-AUD-001
#   framework: hipaa
#   severity: error
#   subject: stage
#   citation: 45 CFR 164.312(b)
#   remediation: >-
#     Enable audit logging of access to the storage and compute this location uses
#     (for example cloud audit trails and data-access logs, or host and database audit
#     logs on premises), put the logs under regular review, and set
#     `audit_logging: true`.
package tdcheck.rules.hipaa_aud_001

import data.tdcheck.lib
import rego.v1

findings := [lib.stage_finding("HIPAA-AUD-001", stage_id, verdict(label, lib.stage_location[stage_id])) |
	some stage_id in lib.stages_with_class.phi
	label := lib.handles_labels[stage_id].phi
]

verdict(label, loc) := {
	"failed": true,
	"message": [label, "; access is not audit-logged (audit_logging is false)"],
	"path": lib.location_path(loc.id, "audit_logging"),
} if {
	not loc.audit_logging
}

else := {
	"failed": false,
	"message": [label, "; audit_logging is true"],
	"path": lib.location_path(loc.id, "audit_logging"),
}
