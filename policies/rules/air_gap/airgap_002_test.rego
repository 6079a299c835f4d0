package tdcheck.rules.air_gap_airgap_002_test

import data.tdcheck.rules.air_gap_airgap_002 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_classified as cls
import rego.v1

test_air_gapped_network_defaults_to_none if {
	[f] := [f | some f in rule.findings with input as cls.pipeline]
	f.status == "pass"
	f.location == "enclave"
	f.path == ["spec", "locations", 0, "network"]
}

test_air_gapped_on_classified_network_passes if {
	manifest := cls.patched([fixtures.set("/spec/locations/0/network", "classified")])
	fixtures.statuses(rule.findings) == {"pass"} with input as manifest
}

test_air_gapped_on_internet_or_private_fails if {
	every network in ["internet", "private"] {
		manifest := cls.patched([fixtures.set("/spec/locations/0/network", network)])
		fixtures.statuses(rule.findings) == {"fail"} with input as manifest
	}
}

test_only_air_gapped_locations_are_subjects if {
	manifest := cls.patched([fixtures.set("/spec/locations/1/air_gapped", true)])
	count(rule.findings) == 2 with input as manifest
	manifest2 := cls.patched([fixtures.set("/spec/locations/0/air_gapped", false)])
	count(rule.findings) == 0 with input as manifest2
}
