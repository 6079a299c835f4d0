package tdcheck.rules.advisory_cost_002_test

import data.tdcheck.rules.advisory_cost_002 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_advisory as adv
import rego.v1

on_demand(pct) := adv.patched([
	fixtures.set("/spec/locations/1/pricing", "on_demand"),
	fixtures.set("/spec/locations/1/expected_utilization_pct", pct),
])

test_reserved_capacity_passes if {
	[f] := [f | some f in rule.findings with input as adv.pipeline]
	f.status == "pass"
	f.location == "cloud"
	f.path == ["spec", "locations", 1, "pricing"]
}

test_steady_on_demand_load_is_advised if {
	[f] := [f | some f in rule.findings with input as on_demand(85)]
	f.status == "fail"
	f.path == ["spec", "locations", 1, "pricing"]
}

test_threshold_is_70_inclusive if {
	fixtures.statuses(rule.findings) == {"fail"} with input as on_demand(70)
	fixtures.statuses(rule.findings) == {"pass"} with input as on_demand(69)
}

test_on_demand_without_utilisation_passes if {
	manifest := adv.patched([
		fixtures.set("/spec/locations/1/pricing", "on_demand"),
		adv.remove("/spec/locations/1/expected_utilization_pct"),
	])
	fixtures.statuses(rule.findings) == {"pass"} with input as manifest
}

test_managed_private_cloud_applies_self_operated_does_not if {
	managed := adv.patched([
		fixtures.set("/spec/locations/1/kind", "private_cloud"),
		fixtures.set("/spec/locations/1/pricing", "on_demand"),
	])
	fixtures.statuses(rule.findings) == {"fail"} with input as managed
	own := adv.patched([
		fixtures.set("/spec/locations/1/kind", "private_cloud"),
		fixtures.set("/spec/locations/1/operator", "self"),
	])
	count(rule.findings) == 0 with input as own
}

test_on_premises_is_not_a_subject if {
	manifest := adv.patched([fixtures.set("/spec/locations/0/pricing", "on_demand")])
	count(adv.for_location(rule.findings, "dc")) == 0 with input as manifest
}
