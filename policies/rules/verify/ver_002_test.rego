package tdcheck.rules.verify_ver_002_test

import data.tdcheck.rules.verify_ver_002 as rule
import data.tdcheck.test.fixtures_providers as fx
import rego.v1

test_high_in_a_moderate_boundary_fails if {
	[f] := rule.findings with input as fx.manifest({
		"provider": "cloudco", "region": "us-1",
		"fedramp": {"level": "high", "status": "authorized"},
	})
		with data.tdcheck.reference.providers as fx.catalogue
	f.status == "fail"
	f.path == ["spec", "locations", 0, "fedramp"]
	"https://cloudco.example/fedramp" in f.message[12].list
}

test_level_held_passes if {
	[f] := rule.findings with input as fx.manifest({
		"provider": "cloudco", "region": "gov-1", "kind": "government_cloud",
		"fedramp": {"level": "moderate", "status": "authorized"},
	})
		with data.tdcheck.reference.providers as fx.catalogue
	f.status == "pass"
}

test_status_beyond_the_boundary_fails if {
	catalogue := json.patch(fx.catalogue, [{
		"op": "replace", "path": "/cloudco/boundaries/commercial/fedramp/status", "value": "in_process",
	}])
	[f] := rule.findings with input as fx.manifest({
		"provider": "cloudco", "region": "us-1",
		"fedramp": {"level": "moderate", "status": "authorized"},
	})
		with data.tdcheck.reference.providers as catalogue
	f.status == "fail"
}

test_boundary_without_fedramp_is_not_checked if {
	rule.findings == [] with input as fx.manifest({
		"provider": "cloudco", "region": "de-1", "country": "DE",
		"fedramp": {"level": "high", "status": "authorized"},
	})
		with data.tdcheck.reference.providers as fx.catalogue
}
