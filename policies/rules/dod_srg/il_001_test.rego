package tdcheck.rules.dod_srg_il_001_test

import data.tdcheck.rules.dod_srg_il_001 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_federal as fed
import rego.v1

test_higher_level_covers if {
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as fed.federal_pipeline
	f.status == "pass"
	f.path == ["spec", "locations", 1, "dod_impact_level"]
	f.message[0][2] == "il4"
}

test_equal_level_passes if {
	manifest := fed.federal([fixtures.set("/spec/locations/1/dod_impact_level", "il4")])
	fed.stage_status(rule.findings, "train") == "pass" with input as manifest
}

test_lower_level_fails if {
	manifest := fed.federal([fixtures.set("/spec/locations/1/dod_impact_level", "il2")])
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as manifest
	f.status == "fail"
	f.path == ["spec", "locations", 1, "dod_impact_level"]
}

# train reads only features: the il6 of mission reaches it through lineage.
test_il6_data_on_il5_fails if {
	manifest := fed.federal([fixtures.set("/spec/datasets/0/dod_impact_level", "il6")])
	fed.stage_status(rule.findings, "train") == "fail" with input as manifest
}

test_absent_level_fails if {
	manifest := fed.federal([fed.remove("/spec/locations/1/dod_impact_level")])
	fed.stage_status(rule.findings, "train") == "fail" with input as manifest
}

test_self_operated_location_not_applicable if {
	count(fixtures.for_stage(rule.findings, "ingest")) == 0 with input as fed.federal_pipeline
	count(rule.findings) == 1 with input as fed.federal_pipeline
}

test_self_operated_cloud_not_applicable if {
	manifest := fed.federal([fixtures.set("/spec/locations/1/operator", "self")])
	count(rule.findings) == 0 with input as manifest
}

test_third_party_on_premises_applies if {
	manifest := fed.federal([fixtures.set("/spec/locations/0/operator", "third_party")])
	fed.stage_status(rule.findings, "ingest") == "fail" with input as manifest
}

test_colocation_is_third_party_by_default if {
	manifest := fed.federal([fixtures.set("/spec/locations/0/kind", "colocation")])
	fed.stage_status(rule.findings, "prep") == "fail" with input as manifest
}

test_not_applicable_without_impact_level if {
	manifest := fed.federal([fed.remove("/spec/datasets/0/dod_impact_level")])
	count(rule.findings) == 0 with input as manifest
}
