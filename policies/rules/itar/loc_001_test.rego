package tdcheck.rules.itar_loc_001_test

import data.tdcheck.rules.itar_loc_001 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_federal as fed
import rego.v1

test_us_locations_pass if {
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as fed.export_pipeline
	f.status == "pass"
	f.path == ["spec", "locations", 1, "country"]
	fixtures.statuses(rule.findings) == {"pass"} with input as fed.export_pipeline
	count(rule.findings) == 4 with input as fed.export_pipeline
}

test_carve_out_storage_abroad_passes if {
	[f] := [f | some f in rule.findings; f.stage == "store"] with input as fed.export_pipeline
	f.status == "pass"
	f.path == ["spec", "locations", 2, "encryption_at_rest"]
}

test_carve_out_with_fips_140_2_passes if {
	manifest := fed.export([fixtures.set("/spec/locations/2/fips_140", "140-2")])
	fed.stage_status(rule.findings, "store") == "pass" with input as manifest
}

test_every_storage_type_qualifies if {
	every type in ["checkpointing", "artifact_storage", "model_registry"] {
		manifest := fed.export([fixtures.set("/spec/stages/3/type", type)])
		fed.stage_status(rule.findings, "store") == "pass" with input as manifest
	}
}

test_processing_abroad_is_a_release_even_encrypted if {
	manifest := fed.export([fixtures.set("/spec/stages/3/type", "evaluation")])
	[f] := [f | some f in rule.findings; f.stage == "store"] with input as manifest
	f.status == "fail"
	f.path == ["spec", "locations", 2, "country"]
	f.message[4][1] == "evaluation"
}

test_provider_managed_keys_break_the_carve_out if {
	manifest := fed.export([fixtures.set("/spec/locations/2/encryption_at_rest", "provider_managed")])
	fed.stage_status(rule.findings, "store") == "fail" with input as manifest
}

test_customer_managed_keys_break_the_carve_out if {
	manifest := fed.export([fixtures.set("/spec/locations/2/encryption_at_rest", "customer_managed")])
	fed.stage_status(rule.findings, "store") == "fail" with input as manifest
}

test_unvalidated_modules_break_the_carve_out if {
	manifest := fed.export([fed.remove("/spec/locations/2/fips_140")])
	fed.stage_status(rule.findings, "store") == "fail" with input as manifest
}

test_training_abroad_fails if {
	manifest := fed.export([fixtures.set("/spec/locations/1/country", "GB")])
	fed.stage_status(rule.findings, "train") == "fail" with input as manifest
}

test_us_territories_count_as_us if {
	every country in ["PR", "GU", "VI", "AS", "MP", "UM"] {
		manifest := fed.export([fixtures.set("/spec/locations/1/country", country)])
		fed.stage_status(rule.findings, "train") == "pass" with input as manifest
	}
}

test_itar_follows_lineage_to_the_checkpoints if {
	manifest := fed.export([fixtures.set("/spec/stages/3/type", "training")])
	fed.stage_status(rule.findings, "store") == "fail" with input as manifest
}

test_not_applicable_without_itar if {
	manifest := fed.export([
		fixtures.set("/spec/datasets/0/classifications", ["internal"]),
		fixtures.set("/spec/locations/1/country", "GB"),
	])
	count(rule.findings) == 0 with input as manifest
}

# v1.1: 22 CFR 120.54(a)(5)(i), the carve-out is for unclassified technical data only.
test_classified_technical_data_stored_abroad_has_no_carve_out if {
	manifest := fed.export([fixtures.set("/spec/datasets/0/classification_level", "secret")])
	[f] := [f | some f in rule.findings; f.stage == "store"] with input as manifest
	f.status == "fail"
	f.message[4][1] == "secret"
	f.path == ["spec", "locations", 2, "country"]
}
