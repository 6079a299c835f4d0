package tdcheck.rules.verify_evid_006_test

import data.tdcheck.rules.verify_evid_006 as rule
import data.tdcheck.test.fixtures_evidence as fx
import rego.v1

test_resolved_facts_pass if {
	[f] := rule.findings with input as fx.manifest([fx.bucket, fx.domain])
	f.status == "pass"
}

test_a_variable_without_default_is_unverifiable if {
	open := object.union(json.remove(fx.bucket, ["region"]), {"unresolved": ["region"]})
	[f] := rule.findings with input as fx.manifest([fx.domain, open])
	f.status == "fail"
	f.path == ["spec", "locations", 0, "evidence", 0, "resources", 0]
	f.message[5] == {"list": ["region"]}
}

test_missing_resources_are_evid_003s if {
	count(rule.findings) == 0 with input as fx.manifest([fx.missing])
}
