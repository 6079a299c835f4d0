package tdcheck.rules.ear_per_001_test

import data.tdcheck.rules.ear_per_001 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_federal as fed
import rego.v1

# The export pipeline with an ECCN instead of ITAR data: dc and cloud are operated by US
# persons only; the vault (DE) only stores client-side encrypted data (the carve-out).
eccn(value, patches) := fed.export(array.concat(
	[
		fixtures.set("/spec/datasets/0/classifications", ["internal"]),
		fixtures.set("/spec/datasets/0/eccn", value),
	],
	patches,
))

test_us_persons_and_carve_out_pass if {
	manifest := eccn("5D002", [])
	fixtures.statuses(rule.findings) == {"pass"} with input as manifest
	count(rule.findings) == 4 with input as manifest
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as manifest
	f.path == ["spec", "locations", 1, "personnel", "us_persons_only"]
	f.message[0][2] == {"list": ["features", "model"]} # derived from the drawings
}

test_foreign_persons_in_the_us_are_a_deemed_export if {
	manifest := eccn("9E003", [fed.remove("/spec/locations/1/personnel")])
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as manifest
	f.status == "fail"
	f.path == ["spec", "locations", 1, "personnel", "us_persons_only"]
}

test_storage_without_the_carve_out_fails if {
	manifest := eccn("5D002", [fixtures.set("/spec/locations/2/encryption_at_rest", "provider_managed")])
	fed.stage_status(rule.findings, "store") == "fail" with input as manifest
}

test_lower_case_technology_eccn_applies if {
	manifest := eccn("3e001", [fed.remove("/spec/locations/1/personnel")])
	fed.stage_status(rule.findings, "train") == "fail" with input as manifest
}

# Only technology (E) and software (D) are released by access: commodities (A, B, C),
# EAR99 and class ear without an ECCN give no EAR-PER-001 finding.
test_commodities_and_unnumbered_ear_data_are_not_subjects if {
	every value in ["3A001", "0B001", "1C350", "EAR99", "ear99", "D5002", ""] {
		count(rule.findings) == 0 with input as eccn(value, [])
	}
	manifest := fed.export([fixtures.set("/spec/datasets/0/classifications", ["ear"])])
	count(rule.findings) == 0 with input as manifest
}

test_only_stages_touching_the_technology_are_subjects if {
	{f.stage | some f in rule.findings} == {"ingest", "prep", "train", "store"} with input as eccn("5D002", [])
	manifest := eccn("5D002", [fixtures.set("/spec/stages/3/inputs", [])])
	{f.stage | some f in rule.findings} == {"ingest", "prep", "train"} with input as manifest
}
