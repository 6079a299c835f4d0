package tdcheck.rules.hipaa_ac_001_test

import data.tdcheck.rules.hipaa_ac_001 as rule
import data.tdcheck.test.fixtures
import rego.v1

shared_accounts := {"unique_user_ids": false, "mfa": true}

test_shared_accounts_fail if {
	manifest := fixtures.patched([fixtures.set("/spec/locations/1/access_control", shared_accounts)])
	[f] := [f | some f in rule.findings with input as manifest; f.stage == "train"]
	f.status == "fail"
	f.path == ["spec", "locations", 1, "access_control", "unique_user_ids"]
	f.message[0][0] == ["stage ", "train", " at ", "cloud", " (", "US", ")"]
}

test_unique_user_ids_pass if {
	fixtures.statuses(rule.findings) == {"pass"} with input as fixtures.phi_pipeline
	count(rule.findings) == 3 with input as fixtures.phi_pipeline
}

test_absent_access_control_fails if {
	manifest := json.patch(fixtures.phi_pipeline, [{"op": "remove", "path": "/spec/locations/0/access_control"}])
	fixtures.statuses(fixtures.for_stage(rule.findings, "ingest")) == {"fail"} with input as manifest
}

# A partial object keeps the default of the missing field (false).
test_partial_access_control_fails if {
	manifest := fixtures.patched([fixtures.set("/spec/locations/0/access_control", {"mfa": true})])
	[f] := [f | some f in rule.findings with input as manifest; f.stage == "ingest"]
	f.status == "fail"
	f.path == ["spec", "locations", 0, "access_control", "unique_user_ids"]
}

test_mfa_does_not_replace_unique_ids if {
	manifest := fixtures.patched([fixtures.set("/spec/locations/0/access_control", shared_accounts)])
	fixtures.statuses(fixtures.for_stage(rule.findings, "prep")) == {"fail"} with input as manifest
}

test_not_applicable_without_phi if {
	manifest := fixtures.patched([
		fixtures.set("/spec/datasets/0/classifications", ["internal"]),
		fixtures.set("/spec/locations/0/access_control", {"unique_user_ids": false}),
	])
	count(rule.findings) == 0 with input as manifest
}
