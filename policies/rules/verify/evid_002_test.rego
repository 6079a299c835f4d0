package tdcheck.rules.verify_evid_002_test

import data.tdcheck.rules.verify_evid_002 as rule
import data.tdcheck.test.fixtures_evidence as fx
import rego.v1

test_customer_managed_keys_declared_pass if {
	[f] := rule.findings with input as fx.manifest([fx.bucket, fx.domain])
	f.status == "pass"
}

test_provider_managed_bucket_contradicts_customer_managed_claim if {
	weaker := object.union(fx.bucket, {"encryption": "provider_managed"})
	[f] := rule.findings with input as fx.manifest([fx.domain, weaker])
	f.status == "fail"
	f.path == ["spec", "locations", 0, "encryption_at_rest"]
	f.message[5] == ["aws_s3_bucket.lake", " (", "infra/main.tf", ":", 12, ")"]
	f.message[7] == "provider_managed"
}

test_a_modest_claim_passes if {
	weaker := object.union(fx.bucket, {"encryption": "provider_managed"})
	manifest := fx.with_location([weaker], {"encryption_at_rest": "provider_managed"})
	fx.statuses(rule.findings) == {"pass"} with input as manifest
}

test_client_side_cannot_be_seen_in_terraform if {
	manifest := fx.with_location([fx.bucket], {"encryption_at_rest": "client_side"})
	count(rule.findings) == 0 with input as manifest
}

test_unknown_encryption_is_not_judged if {
	count(rule.findings) == 0 with input as fx.manifest([json.remove(fx.bucket, ["encryption"])])
}

# One bound storage resource whose encryption cannot be read withholds the pass.
test_an_unread_encryption_withholds_the_pass if {
	open := object.union(json.remove(fx.domain, ["encryption"]), {"unresolved": ["encryption"]})
	count(rule.findings) == 0 with input as fx.manifest([fx.bucket, open])
	weaker := object.union(fx.bucket, {"encryption": "provider_managed"})
	[f] := rule.findings with input as fx.manifest([weaker, open])
	f.status == "fail"
}
