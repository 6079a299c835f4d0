package tdcheck.rules.classified_xfer_001_test

import data.tdcheck.rules.classified_xfer_001 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_classified as cls
import rego.v1

test_approved_cross_domain_solution_passes if {
	[f] := [f | some f in rule.findings with input as cls.pipeline]
	f.status == "pass"
	f.transfer == {"from": "enclave", "to": "il6", "datasets": ["intel"]}
	f.path == ["spec", "transfers", 0, "datasets"]
}

test_cross_domain_solution_without_approval_fails if {
	manifest := cls.patched([cls.remove("/spec/transfers/0/approval_ref")])
	[f] := [f | some f in rule.findings with input as manifest]
	f.status == "fail"
	f.path == ["spec", "transfers", 0, "approval_ref"]
}

test_removable_media_needs_approval if {
	approved := cls.patched([fixtures.set("/spec/transfers/0/channel", "removable_media")])
	fixtures.statuses(rule.findings) == {"pass"} with input as approved
	unapproved := cls.patched([
		fixtures.set("/spec/transfers/0/channel", "removable_media"),
		fixtures.set("/spec/transfers/0/approval_ref", ""),
	])
	fixtures.statuses(rule.findings) == {"fail"} with input as unapproved
}

test_network_channel_fails if {
	manifest := cls.patched([fixtures.set("/spec/transfers/0/channel", "vpn")])
	[f] := [f | some f in rule.findings with input as manifest]
	f.status == "fail"
	f.path == ["spec", "transfers", 0, "channel"]
}

test_two_classified_networks_transfer_directly if {
	manifest := cls.patched([
		fixtures.set("/spec/locations/0/network", "classified"),
		fixtures.set("/spec/transfers/0/channel", "private_link"),
		cls.remove("/spec/transfers/0/approval_ref"),
	])
	fixtures.statuses(rule.findings) == {"pass"} with input as manifest
}

test_one_classified_network_is_not_enough if {
	manifest := cls.patched([
		fixtures.set("/spec/locations/0/network", "private"),
		fixtures.set("/spec/transfers/0/channel", "private_link"),
	])
	fixtures.statuses(rule.findings) == {"fail"} with input as manifest
}

test_destination_accreditation_below_level_fails if {
	manifest := cls.patched([fixtures.set("/spec/locations/1/classified_accreditation", "confidential")])
	[f] := [f | some f in rule.findings with input as manifest]
	f.status == "fail"
	f.path == ["spec", "locations", 1, "classified_accreditation"]
}

test_unaccredited_destination_fails_even_between_classified_networks if {
	manifest := cls.patched([
		fixtures.set("/spec/locations/0/network", "classified"),
		cls.remove("/spec/locations/1/classified_accreditation"),
	])
	fixtures.statuses(rule.findings) == {"fail"} with input as manifest
}

test_implied_movement_fails if {
	manifest := cls.patched([cls.remove("/spec/transfers")])
	[f] := [f | some f in rule.findings with input as manifest]
	f.status == "fail"
	f.path == ["spec", "stages", 1, "inputs", 0]
}

# v1.1: between two locations on network classified an undeclared movement is judged on
# accreditation only (HYB-DECL-001 reports the missing declaration).
test_implied_movement_between_classified_networks_is_judged_on_accreditation if {
	manifest := cls.patched([
		fixtures.set("/spec/locations/0/network", "classified"),
		cls.remove("/spec/transfers"),
	])
	[f] := [f | some f in rule.findings with input as manifest]
	f.status == "pass"
	f.path == ["spec", "stages", 1, "inputs", 0]
	unaccredited := cls.patched([
		fixtures.set("/spec/locations/0/network", "classified"),
		cls.remove("/spec/transfers"),
		fixtures.set("/spec/locations/1/classified_accreditation", "confidential"),
	])
	fixtures.statuses(rule.findings) == {"fail"} with input as unaccredited
}

test_derived_data_carries_the_level if {
	# the model (declared unclassified) moves back to the enclave over a VPN
	manifest := cls.patched([
		fixtures.set("/spec/stages/2/location", "enclave"),
		fixtures.set("/spec/transfers/1", {"from": "il6", "to": "enclave", "datasets": ["model"], "channel": "vpn"}),
	])
	[f] := [f | some f in rule.findings with input as manifest; f.transfer.from == "il6"]
	f.status == "fail"
	f.transfer.datasets == ["model"]
}

test_every_covering_transfer_must_be_approved if {
	manifest := cls.patched([fixtures.set("/spec/transfers/1", {
		"id": "backdoor", "from": "enclave", "to": "il6", "datasets": ["intel"], "channel": "internet",
	})])
	[f] := [f | some f in rule.findings with input as manifest]
	f.status == "fail"
	f.path == ["spec", "transfers", 1, "channel"]
}

test_not_applicable_when_unclassified if {
	manifest := cls.patched([
		fixtures.set("/spec/datasets/0/classification_level", "unclassified"),
		cls.remove("/spec/transfers"),
	])
	count(rule.findings) == 0 with input as manifest
}
