package tdcheck.rules.hipaa_baa_001_test

import data.tdcheck.rules.hipaa_baa_001 as rule
import data.tdcheck.test.fixtures
import rego.v1

test_third_party_without_baa_fails if {
	manifest := fixtures.patched([fixtures.set("/spec/locations/1/hipaa_baa", false)])
	[f] := [f | some f in rule.findings with input as manifest; f.stage == "train"]
	f.status == "fail"
	f.path == ["spec", "locations", 1, "hipaa_baa"]
	f.message[0][0] == ["stage ", "train", " at ", "cloud", " (", "US", ")"]
}

test_third_party_with_baa_passes if {
	fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"pass"} with input as fixtures.phi_pipeline
}

test_self_operated_needs_no_baa if {
	fixtures.statuses(fixtures.for_stage(rule.findings, "ingest")) == {"pass"} with input as fixtures.phi_pipeline
}

test_encryption_does_not_remove_the_duty if {
	manifest := fixtures.patched([
		fixtures.set("/spec/locations/1/hipaa_baa", false),
		fixtures.set("/spec/locations/1/encryption_at_rest", "client_side"),
	])
	fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"fail"} with input as manifest
}

test_colocation_defaults_to_third_party if {
	manifest := fixtures.patched([
		fixtures.set("/spec/locations/0/kind", "colocation"),
		fixtures.set("/spec/locations/0/hipaa_baa", false),
	])
	fixtures.statuses(fixtures.for_stage(rule.findings, "ingest")) == {"fail"} with input as manifest
}

test_not_applicable_without_phi if {
	manifest := fixtures.patched([fixtures.set("/spec/datasets/0/classifications", ["internal"])])
	count(rule.findings) == 0 with input as manifest
}

test_deidentified_output_stops_phi if {
	manifest := fixtures.patched([
		fixtures.set("/spec/locations/1/hipaa_baa", false),
		fixtures.set("/spec/stages/1/type", "deidentification"),
		fixtures.set("/spec/datasets/1/deidentification", {"method": "safe_harbor", "evidence_ref": "DOC-1"}),
	])
	count(fixtures.for_stage(rule.findings, "train")) == 0 with input as manifest
}
