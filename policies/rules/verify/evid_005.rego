# METADATA
# title: Storage holding regulated data cannot be made public
# description: >-
#   A bound storage resource whose code leaves public access possible (an S3 bucket
#   without a public access block that blocks all four settings, an Azure storage
#   account allowing public blob access or public network access, a Google bucket
#   granting `allUsers` or `allAuthenticatedUsers`) at a location that handles
#   regulated data is one misconfiguration away from a disclosure.
# scope: package
# custom:
#   id: EVID-005
#   framework: verify
#   severity: warning
#   subject: location
#   citation: evidence-v1.md (NIST SP 800-53 AC-3, AC-22; 45 CFR 164.312(a)(1))
#   remediation: >-
#     Block public access in code: `aws_s3_bucket_public_access_block` with all four
#     settings true, `allow_nested_items_to_be_public = false` and
#     `public_network_access_enabled = false` on the storage account, no `allUsers` /
#     `allAuthenticatedUsers` member on the bucket (and public access prevention
#     enforced).
package tdcheck.rules.verify_evid_005

import data.tdcheck.lib
import rego.v1

# Location id (handling regulated data) -> its bound storage whose exposure was read, and
# the part of it that can be made public.
known[loc_id] := [r | some r in candidates; is_boolean(r.public)] if {
	some loc_id in object.keys(lib.evidence_storage)
	lib.regulated_locations[loc_id]
	candidates := lib.evidence_storage[loc_id]
}

exposed[loc_id] := [r | some r in candidates; r.public == true] if {
	some loc_id in object.keys(known)
	candidates := known[loc_id]
}

# A pass says no bound storage can be made public: none may have its exposure unresolved
# (EVID-006), as a bucket a plan names by a value known only after apply has.
unread[loc_id] := [r | some r in candidates; "public" in r.unresolved] if {
	some loc_id in object.keys(lib.evidence_storage)
	lib.regulated_locations[loc_id]
	candidates := lib.evidence_storage[loc_id]
}

judged contains loc_id if {
	some loc_id in object.keys(exposed)
	count(exposed[loc_id]) > 0
}

judged contains loc_id if {
	some loc_id in object.keys(known)
	count(known[loc_id]) > 0
	count(unread[loc_id]) == 0
}

findings := [lib.location_finding("EVID-005", loc_id, evidence_verdict(loc_id)) | some loc_id in judged]

evidence_verdict(loc_id) := {
	"failed": true,
	"message": ["location ", id, " handles regulated data and ", lib.resource_label(r), " can be made public"],
	"path": lib.location_path(id, "evidence"),
} if {
	# regopy scans a rule looked up by a parameter: a local first (policies/README.md)
	# regal ignore:pointless-reassignment
	id := loc_id
	r := exposed[id][0]
} else := {
	"failed": false,
	"message": ["location ", id, " handles regulated data; its bound storage blocks public access"],
	"path": lib.location_path(id, "evidence"),
} if {
	# regopy scans a rule looked up by a parameter: a local first (policies/README.md)
	# regal ignore:pointless-reassignment
	id := loc_id
}
