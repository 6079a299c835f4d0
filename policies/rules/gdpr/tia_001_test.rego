package tdcheck.rules.gdpr_tia_001_test

import data.tdcheck.rules.gdpr_tia_001 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_gdpr as gdpr
import rego.v1

test_scc_with_tia_passes if {
	[f] := [f | some f in rule.findings with input as gdpr.pipeline]
	f.status == "pass"
	f.path == ["spec", "transfers", 0, "tia_ref"]
}

test_scc_without_tia_fails if {
	manifest := gdpr.patched([gdpr.remove("/spec/transfers/0/tia_ref")])
	[f] := [f | some f in rule.findings with input as manifest]
	f.status == "fail"
	f.transfer == {"from": "dc-de", "to": "us-cloud", "datasets": ["features"]}
}

test_bcr_without_tia_fails if {
	manifest := gdpr.patched([
		fixtures.set("/spec/transfers/0/gdpr_mechanism", "bcr"),
		fixtures.set("/spec/transfers/0/tia_ref", ""),
	])
	fixtures.statuses(rule.findings) == {"fail"} with input as manifest
}

test_other_mechanisms_are_not_subjects if {
	every mechanism in ["adequacy", "dpf", "derogation"] {
		manifest := gdpr.patched([
			fixtures.set("/spec/transfers/0/gdpr_mechanism", mechanism),
			gdpr.remove("/spec/transfers/0/tia_ref"),
		])
		count(rule.findings) == 0 with input as manifest
	}
}

test_not_applicable_inside_the_eea if {
	manifest := gdpr.patched([
		fixtures.set("/spec/locations/1/country", "NL"),
		gdpr.remove("/spec/transfers/0/tia_ref"),
	])
	count(rule.findings) == 0 with input as manifest
}

test_not_applicable_without_eu_personal_data if {
	manifest := gdpr.patched([
		fixtures.set("/spec/datasets/0/classifications", ["pii"]),
		gdpr.remove("/spec/transfers/0/tia_ref"),
	])
	count(rule.findings) == 0 with input as manifest
}
