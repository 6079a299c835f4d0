package tdcheck.rules.air_gap_airgap_003_test

import data.tdcheck.rules.air_gap_airgap_003 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_classified as cls
import rego.v1

test_cross_domain_solution_out_of_the_air_gap_passes if {
	[f] := [f | some f in rule.findings with input as cls.pipeline]
	f.status == "pass"
	f.subject == "movement"
	f.transfer == {"from": "enclave", "to": "il6", "datasets": ["intel"]}
	f.path == ["spec", "transfers", 0, "channel"]
}

test_removable_media_passes if {
	manifest := cls.patched([fixtures.set("/spec/transfers/0/channel", "removable_media")])
	fixtures.statuses(rule.findings) == {"pass"} with input as manifest
}

test_network_channels_fail if {
	every channel in ["internet", "vpn", "private_link"] {
		manifest := cls.patched([fixtures.set("/spec/transfers/0/channel", channel)])
		fixtures.statuses(rule.findings) == {"fail"} with input as manifest
	}
}

test_transfer_into_the_air_gap_fails_over_a_network if {
	manifest := cls.patched([fixtures.set("/spec/transfers/1", {
		"from": "il6", "to": "enclave", "datasets": ["scores"], "channel": "private_link",
	})])
	[f] := [f | some f in rule.findings with input as manifest; f.transfer.to == "enclave"]
	f.status == "fail"
	f.path == ["spec", "transfers", 1, "channel"]
}

test_only_transfers_touching_an_air_gapped_location if {
	manifest := cls.patched([fixtures.set("/spec/locations/0/air_gapped", false)])
	count(rule.findings) == 0 with input as manifest
}

# rules-v1.md, Terms: a movement no transfer covers fails the rules that look at the channel.
test_undeclared_movement_across_the_air_gap_fails if {
	manifest := cls.patched([cls.remove("/spec/transfers")])
	findings := rule.findings with input as manifest
	count(findings) > 0
	every f in findings {
		f.status == "fail"
		f.path[1] == "stages"
	}
}
