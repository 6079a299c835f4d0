# METADATA
# title: A location's encryption at rest is what its storage resources declare
# description: >-
#   `encryption_at_rest` decides the HIPAA, CUI and classified encryption rules. A
#   location that claims customer-managed keys while a bound storage resource uses the
#   provider's keys (S3 `AES256` or the AWS managed key, a storage account without a
#   customer-managed key, a bucket without `default_kms_key_name`) claims more than its
#   infrastructure provides. `client_side` encryption happens before the data reaches
#   the location and cannot be seen in its Terraform.
# scope: package
# custom:
#   id: EVID-002
#   framework: verify
#   severity: error
#   subject: location
#   citation: evidence-v1.md (NIST SP 800-53 SC-28, SC-12)
#   verifies: [encryption_at_rest]
#   remediation: >-
#     Configure the bound storage with a customer-managed key (S3
#     `aws_s3_bucket_server_side_encryption_configuration` with `aws:kms` and
#     `kms_master_key_id`; `customer_managed_key` on an Azure storage account;
#     `encryption.default_kms_key_name` on a Google bucket), or declare the
#     location's `encryption_at_rest` as what it is.
package tdcheck.rules.verify_evid_002

import data.tdcheck.lib
import rego.v1

strength := {"none": 0, "provider_managed": 1, "customer_managed": 2}

# Location id -> its bound storage whose encryption was read, and the part of it weaker
# than the location claims (`client_side` cannot be seen in Terraform: not judged).
known[loc_id] := [r | some r in candidates; r.encryption] if {
	some loc_id in object.keys(lib.evidence_storage)
	strength[lib.locations[loc_id].encryption_at_rest]
	candidates := lib.evidence_storage[loc_id]
}

weaker[loc_id] := [r | some r in candidates; strength[r.encryption] < claimed] if {
	some loc_id in object.keys(known)
	candidates := known[loc_id]
	claimed := strength[lib.locations[loc_id].encryption_at_rest]
}

# A pass says every bound storage resource declares at least the claim: none may have its
# encryption unresolved (EVID-006).
unread[loc_id] := [r | some r in candidates; "encryption" in r.unresolved] if {
	some loc_id in object.keys(lib.evidence_storage)
	candidates := lib.evidence_storage[loc_id]
}

judged contains loc_id if {
	some loc_id in object.keys(weaker)
	count(weaker[loc_id]) > 0
}

judged contains loc_id if {
	some loc_id in object.keys(known)
	count(known[loc_id]) > 0
	count(unread[loc_id]) == 0
}

findings := [lib.location_finding("EVID-002", loc_id, evidence_verdict(loc_id)) | some loc_id in judged]

evidence_verdict(loc_id) := {
	"failed": true,
	"message": [
		"location ", id, " claims encryption_at_rest ", loc.encryption_at_rest, "; ",
		lib.resource_label(r), " declares ", r.encryption,
	],
	"path": lib.location_path(id, "encryption_at_rest"),
} if {
	# regopy scans a rule looked up by a parameter: a local first (policies/README.md)
	# regal ignore:pointless-reassignment
	id := loc_id
	r := weaker[id][0]
	loc := lib.locations[id]
} else := {
	"failed": false,
	"message": [
		"location ", id, " claims encryption_at_rest ", loc.encryption_at_rest,
		"; its bound storage declares at least as much",
	],
	"path": lib.location_path(id, "encryption_at_rest"),
} if {
	# regopy scans a rule looked up by a parameter: a local first (policies/README.md)
	# regal ignore:pointless-reassignment
	id := loc_id
	loc := lib.locations[id]
}
