package tdcheck.rules.verify_evid_004_test

import data.tdcheck.rules.verify_evid_004 as rule
import data.tdcheck.test.fixtures_evidence as fx
import rego.v1

unlogged := object.union(fx.bucket, {"access_logging": false})

test_logged_storage_passes if {
	[f] := rule.findings with input as fx.manifest([fx.domain, fx.bucket])
	f.status == "pass"
}

test_claimed_logging_without_any_in_code_fails if {
	[f] := rule.findings with input as fx.manifest([unlogged])
	f.status == "fail"
	f.path == ["spec", "locations", 0, "audit_logging"]
}

test_no_claim_no_finding if {
	count(rule.findings) == 0 with input as fx.with_location([unlogged], {"audit_logging": false})
}

unread_logging := json.remove(object.union(fx.bucket, {"unresolved": ["access_logging"]}), ["access_logging"])

test_unresolved_logging_withholds_the_failure if {
	count(rule.findings) == 0 with input as fx.manifest([unlogged, unread_logging])
}

test_unresolved_logging_does_not_withhold_a_pass if {
	[f] := rule.findings with input as fx.manifest([fx.bucket, unread_logging])
	f.status == "pass"
}
