package tdcheck.rules.cui_002_test

import data.tdcheck.rules.cui_002 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_federal as fed
import rego.v1

test_fips_140_3_passes if {
	fixtures.statuses(rule.findings) == {"pass"} with input as fed.federal_pipeline
	count(rule.findings) == 3 with input as fed.federal_pipeline
}

test_fips_140_2_passes if {
	manifest := fed.federal([fixtures.set("/spec/locations/1/fips_140", "140-2")])
	fed.stage_status(rule.findings, "train") == "pass" with input as manifest
}

# train reads features, declared internal: it handles CUI through lineage.
test_none_fails if {
	manifest := fed.federal([fixtures.set("/spec/locations/1/fips_140", "none")])
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as manifest
	f.status == "fail"
	f.path == ["spec", "locations", 1, "fips_140"]
}

test_absent_defaults_to_none if {
	manifest := fed.federal([fed.remove("/spec/locations/0/fips_140")])
	fed.stage_status(rule.findings, "ingest") == "fail" with input as manifest
}

test_train_handles_cui_only_through_lineage if {
	manifest := fed.federal([
		fixtures.set("/spec/locations/1/fips_140", "none"),
		fixtures.set("/spec/stages/2/inputs", []),
		fixtures.set("/spec/datasets/2/classifications", ["internal"]),
	])
	count(fixtures.for_stage(rule.findings, "train")) == 0 with input as manifest
}

test_not_applicable_without_cui if {
	manifest := fed.federal([
		fixtures.set("/spec/datasets/0/classifications", ["internal"]),
		fixtures.set("/spec/locations/1/fips_140", "none"),
	])
	count(rule.findings) == 0 with input as manifest
}
