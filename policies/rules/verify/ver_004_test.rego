package tdcheck.rules.verify_ver_004_test

import data.tdcheck.rules.verify_ver_004 as rule
import data.tdcheck.test.fixtures_providers as fx
import rego.v1

test_government_region_declared_public_fails if {
	[f] := rule.findings with input as fx.manifest({"provider": "cloudco", "region": "gov-1"})
		with data.tdcheck.reference.providers as fx.catalogue
	f.status == "fail"
	f.path == ["spec", "locations", 0, "kind"]
}

test_commercial_region_declared_government_fails if {
	[f] := rule.findings with input as fx.manifest({"provider": "cloudco", "region": "us-1", "kind": "government_cloud"})
		with data.tdcheck.reference.providers as fx.catalogue
	f.status == "fail"
}

test_matching_kind_passes if {
	[f] := rule.findings with input as fx.manifest({"provider": "cloudco", "region": "us-1"})
		with data.tdcheck.reference.providers as fx.catalogue
	f.status == "pass"
}

test_non_cloud_kind_is_not_checked if {
	rule.findings == [] with input as fx.manifest({"provider": "cloudco", "region": "us-1", "kind": "private_cloud"})
		with data.tdcheck.reference.providers as fx.catalogue
}
