package tdcheck.rules.gdpr_xfer_002_test

import data.tdcheck.rules.gdpr_xfer_002 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_gdpr as gdpr
import rego.v1

derogation(patches) := gdpr.patched(array.concat(
	[
		fixtures.set("/spec/transfers/0/gdpr_mechanism", "derogation"),
		gdpr.remove("/spec/transfers/0/tia_ref"),
	],
	patches,
))

test_recurring_defaults_to_true_and_fails if {
	[f] := [f | some f in rule.findings with input as derogation([])]
	f.status == "fail"
	f.subject == "movement"
	f.transfer == {"from": "dc-de", "to": "us-cloud", "datasets": ["features"]}
	f.path == ["spec", "transfers", 0, "recurring"]
}

test_recurring_derogation_fails if {
	manifest := derogation([fixtures.set("/spec/transfers/0/recurring", true)])
	fixtures.statuses(rule.findings) == {"fail"} with input as manifest
}

test_one_off_derogation_passes if {
	manifest := derogation([fixtures.set("/spec/transfers/0/recurring", false)])
	fixtures.statuses(rule.findings) == {"pass"} with input as manifest
}

test_other_mechanisms_are_not_subjects if {
	count(rule.findings) == 0 with input as gdpr.pipeline
}

test_not_applicable_inside_the_eea if {
	count(rule.findings) == 0 with input as derogation([fixtures.set("/spec/locations/1/country", "FR")])
}

test_not_applicable_without_eu_personal_data if {
	count(rule.findings) == 0 with input as derogation([fixtures.set("/spec/datasets/0/classifications", ["pii"])])
}
