package tdcheck.rules.verify_ver_001_test

import data.tdcheck.rules.verify_ver_001 as rule
import data.tdcheck.test.fixtures_providers as fx
import rego.v1

test_country_of_another_region_fails_citing_the_source if {
	[f] := rule.findings with input as fx.manifest({"provider": "cloudco", "region": "de-1", "country": "US"})
		with data.tdcheck.reference.providers as fx.catalogue
	f.status == "fail"
	f.path == ["spec", "locations", 0, "country"]
	f.message[2] == "DE"
	f.message[6] == {"list": ["https://cloudco.example/regions"]}
}

test_country_of_the_region_passes if {
	[f] := rule.findings with input as fx.manifest({"provider": "cloudco", "region": "us-1"})
		with data.tdcheck.reference.providers as fx.catalogue
	f.status == "pass"
}

test_region_not_in_the_catalogue_is_not_checked if {
	rule.findings == [] with input as fx.manifest({"provider": "cloudco", "region": "mars-1"})
		with data.tdcheck.reference.providers as fx.catalogue
}

test_stale_catalogue_checks_nothing if {
	rule.findings == [] with input as object.union(
		fx.manifest({"provider": "cloudco", "region": "us-1"}),
		{"_tdcheck": {"as_of": "2028-01-01"}},
	)
		with data.tdcheck.reference.providers as fx.catalogue
}
