package tdcheck.rules.hybrid_enc_001_test

import data.tdcheck.rules.hybrid_enc_001 as rule
import data.tdcheck.test.fixtures_hybrid as fixtures
import rego.v1

test_encrypted_transfers_pass if {
	findings := rule.findings with input as fixtures.pii_pipeline
	{f.transfer | some f in findings} == {
		{"from": "dc", "to": "cloud", "datasets": ["features"]},
		{"from": "cloud", "to": "dc", "datasets": ["model"]},
	}
	fixtures.statuses(findings) == {"pass"}
}

test_unencrypted_transfer_fails if {
	manifest := fixtures.patched([fixtures.set("/spec/transfers/0/encryption_in_transit", "none")])
	[f] := [f | some f in fixtures.for_dataset(rule.findings, "features")] with input as manifest
	f.status == "fail"
	f.subject == "movement"
	f.transfer == {"from": "dc", "to": "cloud", "datasets": ["features"]}
	f.path == ["spec", "transfers", 0, "encryption_in_transit"]
	f.message == [
		[
			["transfer ", "features-up"], " from ", "dc", " (", "US", ") to ", "cloud", " (", "US",
			") carries regulated data (", {"list": ["features"]}, ": ", {"list": ["pii"]}, ")",
		],
		" with encryption_in_transit ", "none",
	]
}

test_encryption_in_transit_defaults_to_none if {
	manifest := json.patch(fixtures.pii_pipeline, [fixtures.remove("/spec/transfers/0/encryption_in_transit")])
	[f] := [f | some f in fixtures.for_dataset(rule.findings, "features")] with input as manifest
	f.status == "fail"
	f.path == ["spec", "transfers", 0, "encryption_in_transit"]
}

test_every_encryption_mode_passes if {
	every mode in ["tls", "tls_fips", "end_to_end"] {
		manifest := fixtures.patched([fixtures.set("/spec/transfers/0/encryption_in_transit", mode)])
		fixtures.statuses(fixtures.for_dataset(rule.findings, "features")) == {"pass"} with input as manifest
	}
}

# The model is internal as declared, PII by lineage.
test_model_trained_on_pii_is_regulated if {
	manifest := fixtures.patched([fixtures.set("/spec/transfers/1/encryption_in_transit", "none")])
	[f] := [f | some f in fixtures.for_dataset(rule.findings, "model")] with input as manifest
	f.status == "fail"
	f.path == ["spec", "transfers", 1, "encryption_in_transit"]
}

test_transfer_of_public_data_is_not_judged if {
	manifest := fixtures.patched([fixtures.set("/spec/transfers/-", {
		"from": "dc", "to": "cloud", "datasets": ["vocab"], "channel": "internet",
	})])
	count(fixtures.for_dataset(rule.findings, "vocab")) == 0 with input as manifest
}

test_one_regulated_dataset_makes_the_transfer_regulated if {
	manifest := fixtures.patched([
		fixtures.set("/spec/transfers/0/datasets", ["vocab", "features"]),
		fixtures.set("/spec/transfers/0/encryption_in_transit", "none"),
	])
	[f] := [f | some f in fixtures.for_dataset(rule.findings, "vocab")] with input as manifest
	f.status == "fail"
	f.transfer.datasets == ["vocab", "features"]
	f.message[0][10] == {"list": ["features"]}
}

test_classification_level_alone_is_regulated if {
	manifest := fixtures.patched([
		fixtures.set("/spec/datasets/0/classifications", ["internal"]),
		fixtures.set("/spec/datasets/0/classification_level", "secret"),
		fixtures.set("/spec/transfers/0/encryption_in_transit", "none"),
	])
	[f] := [f | some f in fixtures.for_dataset(rule.findings, "features")] with input as manifest
	f.status == "fail"
	f.message[0][12] == {"list": ["secret"]}
}

test_not_applicable_without_regulated_data if {
	manifest := fixtures.patched([
		fixtures.set("/spec/datasets/0/classifications", ["internal"]),
		fixtures.set("/spec/transfers/0/encryption_in_transit", "none"),
	])
	count(rule.findings) == 0 with input as manifest
}

# rules-v1.md, Terms: with no covering transfer, rules that look at encryption fail.
test_undeclared_movement_fails if {
	manifest := json.patch(fixtures.pii_pipeline, [fixtures.remove("/spec/transfers/1")])
	undeclared := [f | some f in rule.findings with input as manifest; f.path[1] == "stages"]
	count(undeclared) == 1
	undeclared[0].status == "fail"
}

# v1.1: PHI/PII-only data takes the organisation's HIPAA encryption severity; any other
# regulated class (or a classification level) keeps the error.
test_pii_only_takes_the_organisation_severity if {
	manifest := fixtures.patched([fixtures.set("/spec/transfers/0/encryption_in_transit", "none")])
	[f] := [f | some f in fixtures.for_dataset(rule.findings, "features")] with input as manifest
	f.status == "fail"
	f.severity == "warning"
	[g] := [f | some f in fixtures.for_dataset(rule.findings, "features")] with input as manifest
		with data.tdcheck.org.hipaa_encryption_severity as "error"
	g.severity == "error"
}

test_other_regulated_classes_keep_the_error if {
	every class in ["cui", "eu_personal", "itar"] {
		manifest := fixtures.patched([
			fixtures.set("/spec/datasets/0/classifications", ["pii", class]),
			fixtures.set("/spec/transfers/0/encryption_in_transit", "none"),
		])
		[f] := [f | some f in fixtures.for_dataset(rule.findings, "features")] with input as manifest

		# regal ignore:non-loop-expression
		f.status == "fail"
		not f.severity
	}
	classified := fixtures.patched([
		fixtures.set("/spec/datasets/0/classification_level", "confidential"),
		fixtures.set("/spec/transfers/0/encryption_in_transit", "none"),
	])
	[f] := [f | some f in fixtures.for_dataset(rule.findings, "features")] with input as classified
	not f.severity
}

test_undeclared_pii_movement_takes_the_organisation_severity if {
	manifest := fixtures.patched([fixtures.remove("/spec/transfers/0")])
	[f] := [f | some f in fixtures.for_dataset(rule.findings, "features")] with input as manifest
	f.status == "fail"
	f.severity == "warning"
}

# v1.1: approved removable media are physically protected (NIST SP 800-171r2 3.8.6).
test_approved_removable_media_is_exempt if {
	manifest := fixtures.patched([
		fixtures.set("/spec/transfers/0/channel", "removable_media"),
		fixtures.set("/spec/transfers/0/encryption_in_transit", "none"),
		fixtures.set("/spec/transfers/0/approval_ref", "MEDIA-7"),
	])
	[f] := [f | some f in fixtures.for_dataset(rule.findings, "features")] with input as manifest
	f.status == "pass"
	f.path == ["spec", "transfers", 0, "approval_ref"]
	unapproved := fixtures.patched([
		fixtures.set("/spec/transfers/0/channel", "removable_media"),
		fixtures.set("/spec/transfers/0/encryption_in_transit", "none"),
	])
	fixtures.statuses(fixtures.for_dataset(rule.findings, "features")) == {"fail"} with input as unapproved
}
