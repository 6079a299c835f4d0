package tdcheck.rules.verify_evid_003_test

import data.tdcheck.rules.verify_evid_003 as rule
import data.tdcheck.test.fixtures_evidence as fx
import rego.v1

test_every_bound_resource_declared_passes if {
	[f] := rule.findings with input as fx.manifest([fx.bucket, fx.domain])
	f.status == "pass"
}

test_a_resource_gone_from_the_code_fails_at_its_binding if {
	[f] := rule.findings with input as fx.manifest([fx.bucket, fx.missing])
	f.status == "fail"
	f.path == ["spec", "locations", 0, "evidence", 0, "resources", 2]
	f.message[3] == "aws_s3_bucket.gone"
}
