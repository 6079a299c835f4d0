package tdcheck.rules.dod_srg_il_002_test

import data.tdcheck.rules.dod_srg_il_002 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_federal as fed
import rego.v1

test_us_passes if {
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as fed.federal_pipeline
	f.status == "pass"
	f.path == ["spec", "locations", 1, "country"]
}

test_us_territories_count_as_us if {
	every country in ["PR", "GU", "VI", "AS", "MP", "UM"] {
		manifest := fed.federal([fixtures.set("/spec/locations/1/country", country)])
		fed.stage_status(rule.findings, "train") == "pass" with input as manifest
	}
}

test_abroad_fails if {
	manifest := fed.federal([fixtures.set("/spec/locations/1/country", "DE")])
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as manifest
	f.status == "fail"
	f.path == ["spec", "locations", 1, "country"]
	"DE" in f.message
}

test_self_operated_abroad_not_applicable if {
	manifest := fed.federal([fixtures.set("/spec/locations/0/country", "DE")])
	count(fixtures.for_stage(rule.findings, "prep")) == 0 with input as manifest
}

test_not_applicable_without_impact_level if {
	manifest := fed.federal([
		fed.remove("/spec/datasets/0/dod_impact_level"),
		fixtures.set("/spec/locations/1/country", "DE"),
	])
	count(rule.findings) == 0 with input as manifest
}
