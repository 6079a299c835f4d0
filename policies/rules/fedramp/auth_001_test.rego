package tdcheck.rules.fedramp_auth_001_test

import data.tdcheck.rules.fedramp_auth_001 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_federal as fed
import rego.v1

test_authorized_passes if {
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as fed.federal_pipeline
	f.status == "pass"
	f.path == ["spec", "locations", 1, "fedramp", "status"]
	f.message[0][1] == " handles federal information at FIPS 199 impact "
	f.message[0][2] == "moderate"
}

test_ready_is_not_authorized if {
	manifest := fed.federal([fixtures.set("/spec/locations/1/fedramp/status", "ready")])
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as manifest
	f.status == "fail"
	f.path == ["spec", "locations", 1, "fedramp", "status"]
	"ready" in f.message
}

test_in_process_is_not_authorized if {
	manifest := fed.federal([fixtures.set("/spec/locations/1/fedramp/status", "in_process")])
	fed.stage_status(rule.findings, "train") == "fail" with input as manifest
}

test_no_fedramp_object_fails if {
	manifest := fed.federal([fed.remove("/spec/locations/1/fedramp")])
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as manifest
	f.status == "fail"
	f.path == ["spec", "locations", 1, "fedramp"]
}

test_fedramp_without_status_fails if {
	manifest := fed.federal([fixtures.set("/spec/locations/1/fedramp", {"level": "high"})])
	fed.stage_status(rule.findings, "train") == "fail" with input as manifest
}

test_on_premises_is_not_a_cloud if {
	count(fixtures.for_stage(rule.findings, "prep")) == 0 with input as fed.federal_pipeline
	count(rule.findings) == 1 with input as fed.federal_pipeline
}

test_self_operated_private_cloud_is_not_a_cloud if {
	manifest := fed.federal([
		fixtures.set("/spec/locations/1/kind", "private_cloud"),
		fixtures.set("/spec/locations/1/operator", "self"),
		fed.remove("/spec/locations/1/fedramp"),
	])
	count(rule.findings) == 0 with input as manifest
}

test_third_party_private_cloud_is_a_cloud if {
	manifest := fed.federal([
		fixtures.set("/spec/locations/1/kind", "private_cloud"),
		fed.remove("/spec/locations/1/fedramp"),
	])
	fed.stage_status(rule.findings, "train") == "fail" with input as manifest
}

test_colocation_is_not_a_cloud if {
	manifest := fed.federal([
		fixtures.set("/spec/locations/1/kind", "colocation"),
		fed.remove("/spec/locations/1/fedramp"),
	])
	count(rule.findings) == 0 with input as manifest
}

test_self_operated_government_cloud_is_a_cloud if {
	manifest := fed.federal([
		fixtures.set("/spec/locations/1/operator", "self"),
		fixtures.set("/spec/locations/1/fedramp/status", "ready"),
	])
	fed.stage_status(rule.findings, "train") == "fail" with input as manifest
}

test_not_applicable_without_impact if {
	manifest := fed.federal([fed.remove("/spec/datasets/0/fips199_impact")])
	count(rule.findings) == 0 with input as manifest
}

test_impact_declared_on_an_output_applies if {
	manifest := fed.federal([
		fed.remove("/spec/datasets/0/fips199_impact"),
		fixtures.set("/spec/datasets/2/fips199_impact", "low"),
		fixtures.set("/spec/locations/1/fedramp/status", "in_process"),
	])
	fed.stage_status(rule.findings, "train") == "fail" with input as manifest
}
