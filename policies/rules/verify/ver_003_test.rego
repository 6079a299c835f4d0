package tdcheck.rules.verify_ver_003_test

import data.tdcheck.rules.verify_ver_003 as rule
import data.tdcheck.test.fixtures_providers as fx
import rego.v1

test_il5_in_an_il2_boundary_fails if {
	[f] := rule.findings with input as fx.manifest({"provider": "cloudco", "region": "us-1", "dod_impact_level": "il5"})
		with data.tdcheck.reference.providers as fx.catalogue
	f.status == "fail"
	f.path == ["spec", "locations", 0, "dod_impact_level"]
	f.message[6] == "il5"
}

test_lower_level_is_covered_by_a_higher_authorisation if {
	[f] := rule.findings with input as fx.manifest({
		"provider": "cloudco", "region": "gov-1",
		"kind": "government_cloud", "dod_impact_level": "il4",
	})
		with data.tdcheck.reference.providers as fx.catalogue
	f.status == "pass"
}

test_boundary_without_dod_levels_is_not_checked if {
	rule.findings == [] with input as fx.manifest({
		"provider": "cloudco", "region": "de-1",
		"country": "DE", "dod_impact_level": "il2",
	})
		with data.tdcheck.reference.providers as fx.catalogue
}
