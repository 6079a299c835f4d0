package tdcheck.rules.advisory_cost_001_test

import data.tdcheck.rules.advisory_cost_001 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_advisory as adv
import rego.v1

test_high_utilisation_passes if {
	[f] := [f | some f in rule.findings with input as adv.pipeline]
	f.status == "pass"
	f.location == "dc"
	f.path == ["spec", "locations", 0, "expected_utilization_pct"]
}

test_low_utilisation_is_advised if {
	manifest := adv.patched([fixtures.set("/spec/locations/0/expected_utilization_pct", 40)])
	[f] := [f | some f in rule.findings with input as manifest]
	f.status == "fail"
	f.path == ["spec", "locations", 0, "expected_utilization_pct"]
}

test_break_even_is_inclusive if {
	at := adv.patched([fixtures.set("/spec/locations/0/expected_utilization_pct", 65)])
	fixtures.statuses(rule.findings) == {"pass"} with input as at
	below := adv.patched([fixtures.set("/spec/locations/0/expected_utilization_pct", 64.9)])
	fixtures.statuses(rule.findings) == {"fail"} with input as below
}

test_break_even_is_an_organisation_parameter if {
	fixtures.statuses(rule.findings) == {"fail"} with input as adv.pipeline
		with data.tdcheck.org.breakeven_utilization_pct as 90
}

test_not_raised_for_classified_data if {
	manifest := adv.patched([
		fixtures.set("/spec/locations/0/expected_utilization_pct", 40),
		fixtures.set("/spec/datasets/0/classification_level", "secret"),
	])
	fixtures.statuses(rule.findings) == {"pass"} with input as manifest
}

test_not_raised_for_air_gap_data_through_lineage if {
	# the mandate is on the raw corpus; the training stage handles only its derivatives
	manifest := adv.patched([
		fixtures.set("/spec/locations/0/expected_utilization_pct", 40),
		fixtures.set("/spec/datasets/0/requires_air_gap", true),
		fixtures.set("/spec/stages/0/location", "cloud"),
	])
	fixtures.statuses(rule.findings) == {"pass"} with input as manifest
}

test_undeclared_utilisation_passes if {
	manifest := adv.patched([adv.remove("/spec/locations/0/expected_utilization_pct")])
	fixtures.statuses(rule.findings) == {"pass"} with input as manifest
}

test_colocation_applies if {
	manifest := adv.patched([
		fixtures.set("/spec/locations/0/kind", "colocation"),
		fixtures.set("/spec/locations/0/expected_utilization_pct", 30),
	])
	fixtures.statuses(rule.findings) == {"fail"} with input as manifest
}

test_only_self_hosted_locations_running_training if {
	no_training := adv.patched([
		fixtures.set("/spec/stages/1/location", "cloud"),
		fixtures.set("/spec/locations/0/expected_utilization_pct", 10),
	])
	count(rule.findings) == 0 with input as no_training
	fine_tuning_only := adv.patched([
		fixtures.set("/spec/stages/1/type", "fine_tuning"),
		fixtures.set("/spec/locations/0/expected_utilization_pct", 10),
	])
	count(rule.findings) == 0 with input as fine_tuning_only
}
