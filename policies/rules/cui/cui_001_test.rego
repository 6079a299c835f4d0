package tdcheck.rules.cui_001_test

import data.tdcheck.rules.cui_001 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_federal as fed
import rego.v1

with_fedramp(fedramp) := fed.federal([fixtures.set("/spec/locations/1/fedramp", fedramp)])

test_authorized_high_passes if {
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as fed.federal_pipeline
	f.status == "pass"
	f.path == ["spec", "locations", 1, "fedramp", "level"]
}

test_authorized_moderate_passes if {
	manifest := with_fedramp({"level": "moderate", "status": "authorized"})
	fed.stage_status(rule.findings, "train") == "pass" with input as manifest
}

test_authorized_low_fails if {
	manifest := with_fedramp({"level": "low", "status": "authorized"})
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as manifest
	f.status == "fail"
	f.path == ["spec", "locations", 1, "fedramp", "level"]
}

test_authorized_li_saas_fails if {
	manifest := fed.federal([
		fixtures.set("/spec/locations/1/fedramp", {"level": "li_saas", "status": "authorized"}),
		fixtures.set("/spec/locations/1/service_model", "saas"),
	])
	fed.stage_status(rule.findings, "train") == "fail" with input as manifest
}

test_ready_moderate_fails if {
	manifest := with_fedramp({"level": "moderate", "status": "ready"})
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as manifest
	f.status == "fail"
	f.path == ["spec", "locations", 1, "fedramp", "status"]
}

test_no_fedramp_fails if {
	manifest := fed.federal([fed.remove("/spec/locations/1/fedramp")])
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as manifest
	f.status == "fail"
	f.path == ["spec", "locations", 1, "fedramp"]
}

test_moderate_equivalent_passes_without_fedramp if {
	manifest := fed.federal([
		fed.remove("/spec/locations/1/fedramp"),
		fixtures.set("/spec/locations/1/fedramp_moderate_equivalent", true),
	])
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as manifest
	f.status == "pass"
	f.path == ["spec", "locations", 1, "fedramp_moderate_equivalent"]
}

test_moderate_equivalent_passes_with_in_process if {
	manifest := fed.federal([
		fixtures.set("/spec/locations/1/fedramp", {"level": "moderate", "status": "in_process"}),
		fixtures.set("/spec/locations/1/fedramp_moderate_equivalent", true),
	])
	fed.stage_status(rule.findings, "train") == "pass" with input as manifest
}

test_on_premises_passes if {
	[f] := [f | some f in rule.findings; f.stage == "ingest"] with input as fed.federal_pipeline
	f.status == "pass"
	f.path == ["spec", "locations", 0, "kind"]
}

test_self_operated_private_cloud_passes if {
	manifest := fed.federal([
		fixtures.set("/spec/locations/1/kind", "private_cloud"),
		fixtures.set("/spec/locations/1/operator", "self"),
		fed.remove("/spec/locations/1/fedramp"),
	])
	fed.stage_status(rule.findings, "train") == "pass" with input as manifest
}

test_third_party_private_cloud_needs_fedramp if {
	manifest := fed.federal([
		fixtures.set("/spec/locations/1/kind", "private_cloud"),
		fed.remove("/spec/locations/1/fedramp"),
	])
	fed.stage_status(rule.findings, "train") == "fail" with input as manifest
}

test_encryption_does_not_take_the_cloud_out_of_scope if {
	manifest := fed.federal([
		fed.remove("/spec/locations/1/fedramp"),
		fixtures.set("/spec/locations/1/encryption_at_rest", "client_side"),
	])
	fed.stage_status(rule.findings, "train") == "fail" with input as manifest
}

test_not_applicable_without_cui if {
	manifest := fed.federal([fixtures.set("/spec/datasets/0/classifications", ["internal"])])
	count(rule.findings) == 0 with input as manifest
}
