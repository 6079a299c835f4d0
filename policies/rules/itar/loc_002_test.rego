package tdcheck.rules.itar_loc_002_test

import data.tdcheck.rules.itar_loc_002 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_federal as fed
import rego.v1

vault_in(country) := fed.export([fixtures.set("/spec/locations/2/country", country)])

test_not_on_the_list_passes if {
	[f] := [f | some f in rule.findings; f.stage == "store"] with input as fed.export_pipeline
	f.status == "pass"
	f.path == ["spec", "locations", 2, "country"]
	fixtures.statuses(rule.findings) == {"pass"} with input as fed.export_pipeline
}

test_no_carve_out_in_a_126_1_country if {
	[f] := [f | some f in rule.findings; f.stage == "store"] with input as vault_in("CN")
	f.status == "fail"
	f.path == ["spec", "locations", 2, "country"]
	f.message[3] == " is on"
	f.message[5] == data.tdcheck.reference.itar_126_1.as_of
}

test_hong_kong_is_china if {
	fed.stage_status(rule.findings, "store") == "fail" with input as vault_in("HK")
}

test_russia_and_nicaragua_are_listed if {
	every country in ["RU", "NI", "CY", "VE", "SY"] {
		fed.stage_status(rule.findings, "store") == "fail" with input as vault_in(country)
	}
}

test_cambodia_was_removed if {
	fed.stage_status(rule.findings, "store") == "pass" with input as vault_in("KH")
}

test_the_list_is_reference_data if {
	list := {"as_of": "2030-01-01", "source": "test", "countries": ["DE"]}
	[f] := [f | some f in rule.findings; f.stage == "store"] with input as fed.export_pipeline
		with data.tdcheck.reference.itar_126_1 as list
	f.status == "fail"
	"2030-01-01" in f.message
}

test_reference_list_is_well_formed if {
	list := data.tdcheck.reference.itar_126_1
	regex.match(`^\d{4}-\d{2}-\d{2}$`, list.as_of)
	every c in list.countries {
		regex.match(`^[A-Z]{2}$`, c)
	}
	not "KH" in list.countries
	not "US" in list.countries
}

test_not_applicable_without_itar if {
	manifest := fed.export([
		fixtures.set("/spec/datasets/0/classifications", ["internal"]),
		fixtures.set("/spec/locations/2/country", "CN"),
	])
	count(rule.findings) == 0 with input as manifest
}
