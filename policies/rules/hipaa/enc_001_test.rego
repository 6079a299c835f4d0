package tdcheck.rules.hipaa_enc_001_test

import data.tdcheck.rules.hipaa_enc_001 as rule
import data.tdcheck.test.fixtures
import rego.v1

test_unencrypted_location_fails if {
	manifest := fixtures.patched([fixtures.set("/spec/locations/1/encryption_at_rest", "none")])
	[f] := [f | some f in rule.findings with input as manifest; f.stage == "train"]
	f.status == "fail"
	f.path == ["spec", "locations", 1, "encryption_at_rest"]
	f.message[1] == "; encryption_at_rest is "
	f.message[2] == "none"
}

test_encryption_at_rest_defaults_to_none if {
	manifest := json.patch(fixtures.phi_pipeline, [{"op": "remove", "path": "/spec/locations/0/encryption_at_rest"}])
	fixtures.statuses(fixtures.for_stage(rule.findings, "ingest")) == {"fail"} with input as manifest
}

test_every_encryption_mode_passes if {
	every mode in ["provider_managed", "customer_managed", "client_side"] {
		manifest := fixtures.patched([fixtures.set("/spec/locations/1/encryption_at_rest", mode)])
		fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"pass"} with input as manifest
	}
}

test_compliant_pipeline_passes if {
	fixtures.statuses(rule.findings) == {"pass"} with input as fixtures.phi_pipeline
	count(rule.findings) == 3 with input as fixtures.phi_pipeline
}

test_severity_defaults_to_warning if {
	severities := {f.severity | some f in rule.findings} with input as fixtures.phi_pipeline
	severities == {"warning"}
}

test_severity_follows_organisation if {
	manifest := fixtures.patched([fixtures.set("/spec/locations/1/encryption_at_rest", "none")])
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as manifest
		with data.tdcheck.org.hipaa_encryption_severity as "error"
	f.severity == "error"
	f.status == "fail"
}

test_not_applicable_without_phi if {
	manifest := fixtures.patched([
		fixtures.set("/spec/datasets/0/classifications", ["internal"]),
		fixtures.set("/spec/locations/0/encryption_at_rest", "none"),
	])
	count(rule.findings) == 0 with input as manifest
}

test_deidentified_output_stops_phi if {
	manifest := fixtures.patched([
		fixtures.set("/spec/locations/1/encryption_at_rest", "none"),
		fixtures.set("/spec/stages/1/type", "deidentification"),
		fixtures.set("/spec/datasets/1/deidentification", {"method": "safe_harbor", "evidence_ref": "DOC-1"}),
	])
	count(fixtures.for_stage(rule.findings, "train")) == 0 with input as manifest
}
