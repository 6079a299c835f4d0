package tdcheck.rules.verify_ver_005_test

import data.tdcheck.rules.verify_ver_005 as rule
import data.tdcheck.test.fixtures_providers as fx
import rego.v1

gov(fields) := fx.manifest(object.union({"provider": "cloudco", "region": "gov-1", "kind": "government_cloud"}, fields))

test_service_below_the_claimed_dod_level_fails if {
	[f] := rule.findings with input as gov({"dod_impact_level": "il5", "services": ["blob", "train"]})
		with data.tdcheck.reference.providers as fx.catalogue
	f.status == "fail"
	f.path == ["spec", "locations", 0, "services"]
	f.message[5] == {"list": ["train"]}
}

test_services_in_scope_pass if {
	[f] := rule.findings with input as gov({
		"fedramp": {"level": "high", "status": "authorized"},
		"dod_impact_level": "il5",
		"services": ["blob"],
	})
		with data.tdcheck.reference.providers as fx.catalogue
	f.status == "pass"
}

test_service_without_scope_at_the_boundary_fails if {
	[f] := rule.findings with input as fx.manifest({
		"provider": "cloudco", "region": "de-1", "country": "DE",
		"fedramp": {"level": "low", "status": "authorized"}, "services": ["blob"],
	})
		with data.tdcheck.reference.providers as fx.catalogue
	f.status == "fail"
}

test_no_claim_no_finding if {
	rule.findings == [] with input as gov({"services": ["train"]})
		with data.tdcheck.reference.providers as fx.catalogue
}

test_uncatalogued_services_only_no_finding if {
	rule.findings == [] with input as gov({"dod_impact_level": "il5", "services": ["quantum"]})
		with data.tdcheck.reference.providers as fx.catalogue
}

# One listed service the catalogue does not know withholds the pass (VER-006 reports it).
test_an_uncatalogued_service_withholds_the_pass if {
	count(rule.findings) == 0 with input as gov({
		"fedramp": {"level": "high", "status": "authorized"},
		"dod_impact_level": "il5",
		"services": ["blob", "mystery"],
	})
		with data.tdcheck.reference.providers as fx.catalogue
}
