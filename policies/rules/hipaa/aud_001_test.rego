package tdcheck.rules.hipaa_aud_001_test

import data.tdcheck.rules.hipaa_aud_001 as rule
import data.tdcheck.test.fixtures
import rego.v1

test_location_without_audit_logging_fails if {
	manifest := fixtures.patched([fixtures.set("/spec/locations/1/audit_logging", false)])
	[f] := [f | some f in rule.findings with input as manifest; f.stage == "train"]
	f.status == "fail"
	f.location == "cloud"
	f.path == ["spec", "locations", 1, "audit_logging"]
	f.message[0][0] == ["stage ", "train", " at ", "cloud", " (", "US", ")"]
}

test_audit_logging_passes if {
	fixtures.statuses(rule.findings) == {"pass"} with input as fixtures.phi_pipeline
	count(rule.findings) == 3 with input as fixtures.phi_pipeline
}

test_audit_logging_defaults_to_false if {
	manifest := json.patch(fixtures.phi_pipeline, [{"op": "remove", "path": "/spec/locations/0/audit_logging"}])
	fixtures.statuses(fixtures.for_stage(rule.findings, "ingest")) == {"fail"} with input as manifest
	fixtures.statuses(fixtures.for_stage(rule.findings, "prep")) == {"fail"} with input as manifest
}

test_self_operated_location_is_not_exempt if {
	manifest := fixtures.patched([fixtures.set("/spec/locations/0/audit_logging", false)])
	fixtures.statuses(fixtures.for_stage(rule.findings, "ingest")) == {"fail"} with input as manifest
}

# The features are internal as declared but PHI by lineage, so the cloud is in scope.
test_lineage_brings_training_location_in_scope if {
	manifest := fixtures.patched([fixtures.set("/spec/locations/1/audit_logging", false)])
	fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"fail"} with input as manifest
}

test_not_applicable_without_phi if {
	manifest := fixtures.patched([
		fixtures.set("/spec/datasets/0/classifications", ["pii"]),
		fixtures.set("/spec/locations/1/audit_logging", false),
	])
	count(rule.findings) == 0 with input as manifest
}

test_deidentified_output_stops_phi if {
	manifest := fixtures.patched([
		fixtures.set("/spec/locations/1/audit_logging", false),
		fixtures.set("/spec/stages/1/type", "deidentification"),
		fixtures.set("/spec/datasets/1/deidentification", {"method": "safe_harbor", "evidence_ref": "DOC-1"}),
	])
	count(fixtures.for_stage(rule.findings, "train")) == 0 with input as manifest
}
