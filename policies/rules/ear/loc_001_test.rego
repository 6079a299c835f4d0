package tdcheck.rules.ear_loc_001_test

import data.tdcheck.rules.ear_loc_001 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_federal as fed
import rego.v1

# The export pipeline with EAR instead of ITAR data: class ear, or only an ECCN.
ear_class(patches) := fed.export(array.concat([fixtures.set("/spec/datasets/0/classifications", ["ear"])], patches))

eccn(value, patches) := fed.export(array.concat(
	[
		fixtures.set("/spec/datasets/0/classifications", ["internal"]),
		fixtures.set("/spec/datasets/0/eccn", value),
	],
	patches,
))

test_us_and_carve_out_pass if {
	fixtures.statuses(rule.findings) == {"pass"} with input as ear_class([])
	count(rule.findings) == 4 with input as ear_class([])
	[f] := [f | some f in rule.findings; f.stage == "store"] with input as ear_class([])
	f.path == ["spec", "locations", 2, "encryption_at_rest"]
}

test_processing_abroad_fails if {
	manifest := ear_class([fixtures.set("/spec/locations/1/country", "IN")])
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as manifest
	f.status == "fail"
	f.path == ["spec", "locations", 1, "country"]
}

test_storage_abroad_without_validated_modules_fails if {
	manifest := ear_class([fixtures.set("/spec/locations/2/fips_140", "none")])
	fed.stage_status(rule.findings, "store") == "fail" with input as manifest
}

test_eccn_other_than_ear99_applies if {
	manifest := eccn("5D002", [fixtures.set("/spec/locations/1/country", "IN")])
	fed.stage_status(rule.findings, "train") == "fail" with input as manifest
	count(rule.findings) == 4 with input as manifest
}

test_eccn_follows_lineage if {
	manifest := eccn("3E001", [fixtures.set("/spec/stages/3/type", "evaluation")])
	[f] := [f | some f in rule.findings; f.stage == "store"] with input as manifest
	f.status == "fail"
	f.message[0][2] == "EAR data"
}

test_ear99_is_not_applicable if {
	manifest := eccn("EAR99", [fixtures.set("/spec/locations/1/country", "IN")])
	count(rule.findings) == 0 with input as manifest
}

test_us_territories_count_as_us if {
	manifest := ear_class([fixtures.set("/spec/locations/1/country", "GU")])
	fed.stage_status(rule.findings, "train") == "pass" with input as manifest
}

test_not_applicable_without_ear if {
	manifest := fed.export([
		fixtures.set("/spec/datasets/0/classifications", ["internal"]),
		fixtures.set("/spec/locations/1/country", "IN"),
	])
	count(rule.findings) == 0 with input as manifest
}

# rules-v1.md: the ECCN is compared with EAR99 without regard to case.
test_ear99_in_lower_case_is_not_applicable if {
	manifest := eccn("ear99", [fixtures.set("/spec/locations/1/country", "IN")])
	count(rule.findings) == 0 with input as manifest
}

test_lower_case_eccn_applies if {
	manifest := eccn("5d002", [fixtures.set("/spec/locations/1/country", "IN")])
	fed.stage_status(rule.findings, "train") == "fail" with input as manifest
}

# v1.1: the carve-out is for unclassified data only (734.18(a)(5)(i)).
test_classified_data_stored_abroad_has_no_carve_out if {
	manifest := ear_class([fixtures.set("/spec/datasets/0/classification_level", "confidential")])
	[f] := [f | some f in rule.findings; f.stage == "store"] with input as manifest
	f.status == "fail"
	f.message[4][1] == "confidential"
}
