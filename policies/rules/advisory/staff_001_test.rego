package tdcheck.rules.advisory_staff_001_test

import data.tdcheck.rules.advisory_staff_001 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_advisory as adv
import rego.v1

test_staffed_location_passes if {
	[f] := [f | some f in rule.findings with input as adv.pipeline]
	f.status == "pass"
	f.location == "dc"
	f.path == ["spec", "locations", 0, "infra_staff_fte"]
}

test_absent_staff_is_advised if {
	manifest := adv.patched([adv.remove("/spec/locations/0/infra_staff_fte")])
	[f] := [f | some f in rule.findings with input as manifest]
	f.status == "fail"
	f.path == ["spec", "locations", 0, "infra_staff_fte"]
}

test_zero_staff_is_advised if {
	manifest := adv.patched([fixtures.set("/spec/locations/0/infra_staff_fte", 0)])
	fixtures.statuses(rule.findings) == {"fail"} with input as manifest
}

test_fine_tuning_counts if {
	manifest := adv.patched([
		fixtures.set("/spec/stages/1/type", "fine_tuning"),
		adv.remove("/spec/locations/0/infra_staff_fte"),
	])
	fixtures.statuses(rule.findings) == {"fail"} with input as manifest
}

test_colocation_applies if {
	manifest := adv.patched([
		fixtures.set("/spec/locations/0/kind", "colocation"),
		adv.remove("/spec/locations/0/infra_staff_fte"),
	])
	fixtures.statuses(rule.findings) == {"fail"} with input as manifest
}

test_not_applicable_without_training_on_premises if {
	manifest := adv.patched([
		fixtures.set("/spec/stages/1/location", "cloud"),
		adv.remove("/spec/locations/0/infra_staff_fte"),
	])
	count(rule.findings) == 0 with input as manifest
}
