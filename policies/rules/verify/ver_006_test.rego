package tdcheck.rules.verify_ver_006_test

import data.tdcheck.rules.verify_ver_006 as rule
import data.tdcheck.test.fixtures_providers as fx
import rego.v1

test_unknown_provider_is_unverifiable if {
	[f] := rule.findings with input as fx.manifest({"provider": "elsewhere", "region": "x"})
		with data.tdcheck.reference.providers as fx.catalogue
	f.status == "fail"
	f.path == ["spec", "locations", 0, "provider"]
	f.message[3] == [["", ["provider ", "elsewhere", " is not in the catalogue"]]]
}

test_unknown_region_and_service_are_unverifiable if {
	[f] := rule.findings with input as fx.manifest({
		"provider": "cloudco", "region": "mars-1",
		"services": ["blob", "quantum"],
	})
		with data.tdcheck.reference.providers as fx.catalogue
	f.status == "fail"
	f.message[3] == [
		["", ["region ", "mars-1", " of ", "cloudco", " is not in the catalogue"]],
		["; ", ["services not in the catalogue: ", {"list": ["quantum"]}]],
	]
}

test_claim_the_catalogue_does_not_record_is_unverifiable if {
	[f] := rule.findings with input as fx.manifest({
		"provider": "cloudco", "region": "de-1", "country": "DE",
		"fedramp": {"level": "moderate", "status": "authorized"},
	})
		with data.tdcheck.reference.providers as fx.catalogue
	f.status == "fail"
	f.message[3][0][1][0] == "the catalogue records no FedRAMP authorisation for boundary "
}

test_stale_catalogue_is_unverifiable if {
	[f] := rule.findings with input as object.union(
		fx.manifest({"provider": "cloudco", "region": "us-1"}),
		{"_tdcheck": {"as_of": "2027-12-01"}},
	)
		with data.tdcheck.reference.providers as fx.catalogue
	f.status == "fail"
	f.message[3][0][1][0] == "the catalogue entry for "
}

test_catalogue_younger_than_the_limit_is_fresh if {
	[f] := rule.findings with input as object.union(
		fx.manifest({"provider": "cloudco", "region": "us-1"}),
		{"_tdcheck": {"as_of": "2027-11-30"}},
	)
		with data.tdcheck.reference.providers as fx.catalogue
	f.status == "pass"
}

test_location_without_provider_gets_no_finding if {
	rule.findings == [] with input as fx.manifest({})
		with data.tdcheck.reference.providers as fx.catalogue
}
