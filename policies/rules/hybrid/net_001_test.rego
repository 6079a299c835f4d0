package tdcheck.rules.hybrid_net_001_test

import data.tdcheck.rules.hybrid_net_001 as rule
import data.tdcheck.test.fixtures_hybrid as fixtures
import rego.v1

test_private_channels_pass if {
	findings := rule.findings with input as fixtures.pii_pipeline
	count(findings) == 2
	fixtures.statuses(findings) == {"pass"}
}

test_internet_transfer_fails if {
	manifest := fixtures.patched([fixtures.set("/spec/transfers/0/channel", "internet")])
	[f] := [f | some f in fixtures.for_dataset(rule.findings, "features")] with input as manifest
	f.status == "fail"
	f.subject == "movement"
	f.transfer == {"from": "dc", "to": "cloud", "datasets": ["features"]}
	f.path == ["spec", "transfers", 0, "channel"]
	f.message[1] == " over channel "
	f.message[2] == "internet"
}

# Encryption does not make the internet a managed interface.
test_encrypted_internet_transfer_still_fails if {
	manifest := fixtures.patched([
		fixtures.set("/spec/transfers/0/channel", "internet"),
		fixtures.set("/spec/transfers/0/encryption_in_transit", "end_to_end"),
	])
	fixtures.statuses(fixtures.for_dataset(rule.findings, "features")) == {"fail"} with input as manifest
}

test_every_other_channel_passes if {
	every channel in ["vpn", "private_link", "cross_domain_solution", "removable_media"] {
		manifest := fixtures.patched([fixtures.set("/spec/transfers/0/channel", channel)])
		fixtures.statuses(fixtures.for_dataset(rule.findings, "features")) == {"pass"} with input as manifest
	}
}

test_model_trained_on_pii_is_regulated if {
	manifest := fixtures.patched([fixtures.set("/spec/transfers/1/channel", "internet")])
	[f] := [f | some f in fixtures.for_dataset(rule.findings, "model")] with input as manifest
	f.status == "fail"
	f.path == ["spec", "transfers", 1, "channel"]
}

test_transfer_of_public_data_is_not_judged if {
	manifest := fixtures.patched([fixtures.set("/spec/transfers/-", {
		"from": "dc", "to": "cloud", "datasets": ["vocab"], "channel": "internet",
	})])
	count(fixtures.for_dataset(rule.findings, "vocab")) == 0 with input as manifest
}

test_classification_level_alone_is_regulated if {
	manifest := fixtures.patched([
		fixtures.set("/spec/datasets/0/classifications", ["public"]),
		fixtures.set("/spec/datasets/0/classification_level", "confidential"),
		fixtures.set("/spec/transfers/0/channel", "internet"),
	])
	fixtures.statuses(fixtures.for_dataset(rule.findings, "features")) == {"fail"} with input as manifest
}

test_not_applicable_without_regulated_data if {
	manifest := fixtures.patched([
		fixtures.set("/spec/datasets/0/classifications", ["public"]),
		fixtures.set("/spec/transfers/0/channel", "internet"),
	])
	count(rule.findings) == 0 with input as manifest
}

test_undeclared_movement_fails if {
	manifest := json.patch(fixtures.pii_pipeline, [fixtures.remove("/spec/transfers/1")])
	undeclared := [f | some f in rule.findings with input as manifest; f.path[1] == "stages"]
	count(undeclared) == 1
	undeclared[0].status == "fail"
}
