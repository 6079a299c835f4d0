# METADATA
# title: A location that claims audit logging logs access to its storage
# description: >-
#   `audit_logging` decides HIPAA-AUD-001 and the federal audit rules. A location that
#   claims it while none of its bound storage resources has access logging declared
#   (S3 server access logging or a CloudTrail data-event trail, an Azure diagnostic
#   setting, a Google bucket's `logging`) rests that claim on nothing its code shows.
# scope: package
# custom:
#   id: EVID-004
#   framework: verify
#   severity: warning
#   subject: location
#   citation: evidence-v1.md (45 CFR 164.312(b); NIST SP 800-53 AU-2, AU-12)
#   verifies: [audit_logging]
#   remediation: >-
#     Declare access logging for the bound storage (`aws_s3_bucket_logging`,
#     `azurerm_monitor_diagnostic_setting` on the storage account, `logging` on the
#     Google bucket), or bind the resource that logs it.
package tdcheck.rules.verify_evid_004

import data.tdcheck.lib
import rego.v1

# Location id (claiming audit logging) -> its bound storage whose access logging was read,
# and the part of it that logs.
known[loc_id] := [r | some r in candidates; is_boolean(r.access_logging)] if {
	some loc_id in object.keys(lib.evidence_storage)
	lib.locations[loc_id].audit_logging == true
	candidates := lib.evidence_storage[loc_id]
}

logged[loc_id] := [r | some r in candidates; r.access_logging == true] if {
	some loc_id in object.keys(known)
	candidates := known[loc_id]
}

# A failure says no bound storage logs access: none may have its logging unresolved
# (EVID-006), as a bucket a plan names by a value known only after apply has.
unread[loc_id] := [r | some r in candidates; "access_logging" in r.unresolved] if {
	some loc_id in object.keys(lib.evidence_storage)
	lib.locations[loc_id].audit_logging == true
	candidates := lib.evidence_storage[loc_id]
}

judged contains loc_id if {
	some loc_id in object.keys(logged)
	count(logged[loc_id]) > 0
}

judged contains loc_id if {
	some loc_id in object.keys(known)
	count(known[loc_id]) > 0
	count(unread[loc_id]) == 0
}

findings := [lib.location_finding("EVID-004", loc_id, evidence_verdict(loc_id)) | some loc_id in judged]

evidence_verdict(loc_id) := {
	"failed": false,
	"message": ["location ", id, " claims audit logging; ", lib.resource_label(r), " declares access logging"],
	"path": lib.location_path(id, "audit_logging"),
} if {
	# regopy scans a rule looked up by a parameter: a local first (policies/README.md)
	# regal ignore:pointless-reassignment
	id := loc_id
	r := logged[id][0]
} else := {
	"failed": true,
	"message": [
		"location ", id, " claims audit logging, but no bound storage resource declares access logging (",
		lib.resource_label(known[id][0]), " has none)",
	],
	"path": lib.location_path(id, "audit_logging"),
} if {
	# regopy scans a rule looked up by a parameter: a local first (policies/README.md)
	# regal ignore:pointless-reassignment
	id := loc_id
}
