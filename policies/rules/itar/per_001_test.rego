package tdcheck.rules.itar_per_001_test

import data.tdcheck.rules.itar_per_001 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_federal as fed
import rego.v1

test_us_persons_pass if {
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as fed.export_pipeline
	f.status == "pass"
	f.path == ["spec", "locations", 1, "personnel", "us_persons_only"]
	fixtures.statuses(rule.findings) == {"pass"} with input as fed.export_pipeline
}

test_deemed_export_in_the_us_fails if {
	manifest := fed.export([fixtures.set("/spec/locations/1/personnel/us_persons_only", false)])
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as manifest
	f.status == "fail"
	f.path == ["spec", "locations", 1, "personnel", "us_persons_only"]
}

test_default_personnel_fails if {
	manifest := fed.export([fed.remove("/spec/locations/1/personnel")])
	fed.stage_status(rule.findings, "train") == "fail" with input as manifest
}

test_carve_out_storage_needs_no_us_persons if {
	[f] := [f | some f in rule.findings; f.stage == "store"] with input as fed.export_pipeline
	f.status == "pass"
	f.path == ["spec", "locations", 2, "encryption_at_rest"]
}

test_storage_without_carve_out_needs_us_persons if {
	manifest := fed.export([fixtures.set("/spec/locations/2/encryption_at_rest", "provider_managed")])
	fed.stage_status(rule.findings, "store") == "fail" with input as manifest
}

test_storage_without_validated_modules_needs_us_persons if {
	manifest := fed.export([fixtures.set("/spec/locations/2/fips_140", "none")])
	fed.stage_status(rule.findings, "store") == "fail" with input as manifest
}

test_processing_needs_us_persons_even_encrypted if {
	manifest := fed.export([fixtures.set("/spec/stages/3/type", "fine_tuning")])
	fed.stage_status(rule.findings, "store") == "fail" with input as manifest
}

test_us_persons_abroad_pass_this_rule if {
	manifest := fed.export([
		fixtures.set("/spec/stages/3/type", "training"),
		fixtures.set("/spec/locations/2/personnel", {"us_persons_only": true}),
	])
	fed.stage_status(rule.findings, "store") == "pass" with input as manifest
}

test_not_applicable_without_itar if {
	manifest := fed.export([
		fixtures.set("/spec/datasets/0/classifications", ["internal"]),
		fixtures.set("/spec/locations/1/personnel/us_persons_only", false),
	])
	count(rule.findings) == 0 with input as manifest
}

# v1.1: classified data never has the carve-out, so foreign staff at the vault fail.
test_classified_storage_needs_us_persons if {
	manifest := fed.export([fixtures.set("/spec/datasets/0/classification_level", "confidential")])
	fed.stage_status(rule.findings, "store") == "fail" with input as manifest
}
