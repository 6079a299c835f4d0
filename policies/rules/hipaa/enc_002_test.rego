package tdcheck.rules.hipaa_enc_002_test

import data.tdcheck.rules.hipaa_enc_002 as rule
import data.tdcheck.test.fixtures
import rego.v1

# features is internal as declared, PHI by lineage (prep reads records).
features_movement := {"from": "dc", "to": "cloud", "datasets": ["features"]}

test_tls_transfer_passes if {
	[f] := [f | some f in rule.findings] with input as fixtures.phi_pipeline
	f.status == "pass"
	f.subject == "movement"
	f.transfer == features_movement
	f.path == ["spec", "transfers", 0, "datasets"]
}

test_unencrypted_transfer_fails_at_its_encryption if {
	manifest := fixtures.patched([fixtures.set("/spec/transfers/0/encryption_in_transit", "none")])
	[f] := [f | some f in rule.findings] with input as manifest
	f.status == "fail"
	f.transfer == features_movement
	f.path == ["spec", "transfers", 0, "encryption_in_transit"]
}

test_encryption_in_transit_defaults_to_none if {
	manifest := json.patch(fixtures.phi_pipeline, [{"op": "remove", "path": "/spec/transfers/0/encryption_in_transit"}])
	[f] := [f | some f in rule.findings] with input as manifest
	f.status == "fail"
	f.path == ["spec", "transfers", 0, "encryption_in_transit"]
}

test_undeclared_movement_fails_at_the_reading_input if {
	manifest := json.patch(fixtures.phi_pipeline, [{"op": "remove", "path": "/spec/transfers"}])
	[f] := [f | some f in rule.findings] with input as manifest
	f.status == "fail"
	f.transfer == features_movement
	f.path == ["spec", "stages", 2, "inputs", 0]
	f.message[2] == " is not covered by any declared transfer, so nothing encrypts it"
}

# A transfer in the opposite direction does not cover the movement.
test_reverse_transfer_does_not_cover if {
	manifest := fixtures.patched([
		fixtures.set("/spec/transfers/0/from", "cloud"),
		fixtures.set("/spec/transfers/0/to", "dc"),
	])
	f := [f | some f in rule.findings; f.transfer == features_movement] with input as manifest
	f[0].status == "fail"
	f[0].path == ["spec", "stages", 2, "inputs", 0]
}

test_one_unencrypted_covering_transfer_fails if {
	manifest := fixtures.patched([fixtures.set("/spec/transfers/-", {
		"id": "backup-copy", "from": "dc", "to": "cloud", "datasets": ["features"],
		"channel": "internet", "encryption_in_transit": "none",
	})])
	[f] := [f | some f in rule.findings] with input as manifest
	f.status == "fail"
	f.path == ["spec", "transfers", 1, "encryption_in_transit"]
}

test_deidentified_dataset_moving_is_not_phi if {
	manifest := fixtures.patched([
		fixtures.set("/spec/transfers/0/encryption_in_transit", "none"),
		fixtures.set("/spec/stages/1/type", "deidentification"),
		fixtures.set("/spec/datasets/1/deidentification", {"method": "safe_harbor", "evidence_ref": "DOC-1"}),
	])
	count(rule.findings) == 0 with input as manifest
}

test_limited_data_set_moving_is_phi if {
	manifest := fixtures.patched([
		fixtures.set("/spec/transfers/0/encryption_in_transit", "none"),
		fixtures.set("/spec/stages/1/type", "deidentification"),
		fixtures.set("/spec/datasets/1/deidentification", {"method": "limited_data_set", "evidence_ref": "DUA-1"}),
	])
	fixtures.statuses(rule.findings) == {"fail"} with input as manifest
}

test_severity_follows_organisation if {
	manifest := fixtures.patched([fixtures.set("/spec/transfers/0/encryption_in_transit", "none")])
	[f] := [f | some f in rule.findings] with input as manifest
		with data.tdcheck.org.hipaa_encryption_severity as "error"
	f.severity == "error"
	[g] := [g | some g in rule.findings] with input as manifest
	g.severity == "warning"
}

test_not_applicable_without_phi if {
	manifest := fixtures.patched([
		fixtures.set("/spec/datasets/0/classifications", ["pii"]),
		fixtures.set("/spec/transfers/0/encryption_in_transit", "none"),
	])
	count(rule.findings) == 0 with input as manifest
}
