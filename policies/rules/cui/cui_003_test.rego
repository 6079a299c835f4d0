package tdcheck.rules.cui_003_test

import data.tdcheck.rules.cui_003 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_federal as fed
import rego.v1

fips_on(fips, as_of) := fed.federal([
	fixtures.set("/spec/locations/1/fips_140", fips),
	fixtures.set("/_tdcheck/as_of", as_of),
])

test_140_2_before_the_sunset_passes if {
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as fips_on("140-2", "2026-09-20")
	f.status == "pass"
	f.path == ["spec", "locations", 1, "fips_140"]
}

test_140_2_on_the_sunset_fails if {
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as fips_on("140-2", "2026-09-21")
	f.status == "fail"
	f.path == ["spec", "locations", 1, "fips_140"]
	"2026-09-21" in f.message
}

test_140_2_after_the_sunset_fails if {
	fed.stage_status(rule.findings, "train") == "fail" with input as fips_on("140-2", "2027-03-01")
}

test_140_3_after_the_sunset_passes if {
	fed.stage_status(rule.findings, "train") == "pass" with input as fips_on("140-3", "2027-03-01")
}

test_none_is_left_to_cui_002 if {
	fed.stage_status(rule.findings, "train") == "pass" with input as fips_on("none", "2027-03-01")
}

test_applies_to_every_cui_stage if {
	count(rule.findings) == 3 with input as fed.federal_pipeline
}

test_not_applicable_without_cui if {
	manifest := fed.federal([
		fixtures.set("/spec/datasets/0/classifications", ["internal"]),
		fixtures.set("/spec/locations/1/fips_140", "140-2"),
	])
	count(rule.findings) == 0 with input as manifest
}
