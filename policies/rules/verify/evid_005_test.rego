package tdcheck.rules.verify_evid_005_test

import data.tdcheck.rules.verify_evid_005 as rule
import data.tdcheck.test.fixtures_evidence as fx
import rego.v1

exposed := object.union(fx.bucket, {"public": true})

test_blocked_public_access_passes if {
	[f] := rule.findings with input as fx.manifest([fx.bucket])
	f.status == "pass"
}

test_public_bucket_holding_phi_fails if {
	[f] := rule.findings with input as fx.manifest([fx.bucket, exposed])
	f.status == "fail"
	f.message[3] == ["aws_s3_bucket.lake", " (", "infra/main.tf", ":", 12, ")"]
}

test_unregulated_location_not_judged if {
	public := {"op": "replace", "path": "/spec/datasets/0/classifications", "value": ["public"]}
	manifest := json.patch(fx.manifest([exposed]), [public])
	count(rule.findings) == 0 with input as manifest
}

unread_exposure := json.remove(object.union(fx.bucket, {"unresolved": ["public"]}), ["public"])

test_unresolved_exposure_withholds_the_pass if {
	count(rule.findings) == 0 with input as fx.manifest([fx.bucket, unread_exposure])
}

test_unresolved_exposure_does_not_withhold_a_failure if {
	[f] := rule.findings with input as fx.manifest([unread_exposure, exposed])
	f.status == "fail"
}
