# METADATA
# title: Every user of a location holding PHI has a unique user id
# description: >-
#   Unique user identification is a required implementation specification of the
#   HIPAA access control standard: without it, access to ePHI cannot be traced to a
#   person and audit logs identify no one.
# scope: package
# custom:
#   id: HIPAA-AC-001
#   framework: hipaa
#   severity: error
#   subject: stage
#   citation: 45 CFR 164.312(a)(2)(i)
#   remediation: >-
#     Give every person and service that accesses this location its own identity
#     (no shared or root accounts; for example SSO-federated named users and
#     per-workload service identities) and set `access_control.unique_user_ids: true`.
package tdcheck.rules.hipaa_ac_001

import data.tdcheck.lib
import rego.v1

findings := [lib.stage_finding("HIPAA-AC-001", stage_id, verdict(label, lib.stage_location[stage_id])) |
	some stage_id in lib.stages_with_class.phi
	label := lib.handles_labels[stage_id].phi
]

verdict(label, loc) := {
	"failed": true,
	"message": [
		label,
		"; users are not uniquely identified (access_control.unique_user_ids is false)",
	],
	"path": path(loc.id),
} if {
	not loc.access_control.unique_user_ids
}

else := {
	"failed": false,
	"message": [label, "; access_control.unique_user_ids is true"],
	"path": path(loc.id),
}

path(loc_id) := array.concat(lib.location_path(loc_id, "access_control"), ["unique_user_ids"])
