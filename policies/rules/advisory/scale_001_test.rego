package tdcheck.rules.advisory_scale_001_test

import data.tdcheck.rules.advisory_scale_001 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_advisory as adv
import rego.v1

test_large_model_with_enough_accelerators_passes if {
	[f] := [f | some f in rule.findings with input as adv.pipeline]
	f.status == "pass"
	f.stage == "train"
	f.path == ["spec", "locations", 0, "accelerators"]
}

test_large_model_with_few_accelerators_is_advised if {
	manifest := adv.patched([fixtures.set("/spec/locations/0/accelerators", 512)])
	[f] := [f | some f in rule.findings with input as manifest]
	f.status == "fail"
	f.path == ["spec", "locations", 0, "accelerators"]
}

test_absent_accelerators_are_advised if {
	manifest := adv.patched([adv.remove("/spec/locations/0/accelerators")])
	fixtures.statuses(rule.findings) == {"fail"} with input as manifest
}

test_thresholds_are_inclusive if {
	at_size := adv.patched([
		fixtures.set("/spec/model/parameters_b", 10),
		fixtures.set("/spec/locations/0/accelerators", 999),
	])
	fixtures.statuses(rule.findings) == {"fail"} with input as at_size
	at_count := adv.patched([fixtures.set("/spec/locations/0/accelerators", 1000)])
	fixtures.statuses(rule.findings) == {"pass"} with input as at_count
}

test_small_model_passes if {
	manifest := adv.patched([
		fixtures.set("/spec/model/parameters_b", 7),
		fixtures.set("/spec/locations/0/accelerators", 8),
	])
	[f] := [f | some f in rule.findings with input as manifest]
	f.status == "pass"
	f.path == ["spec", "model", "parameters_b"]
}

test_undeclared_model_size_passes if {
	manifest := adv.patched([adv.remove("/spec/model"), fixtures.set("/spec/locations/0/accelerators", 8)])
	fixtures.statuses(rule.findings) == {"pass"} with input as manifest
}

test_thresholds_are_organisation_parameters if {
	few := adv.patched([fixtures.set("/spec/locations/0/accelerators", 512)])
	fixtures.statuses(rule.findings) == {"pass"} with input as few
		with data.tdcheck.org.large_model_parameters_b as 100
	fixtures.statuses(rule.findings) == {"fail"} with input as adv.pipeline
		with data.tdcheck.org.min_pretraining_accelerators as 4096
}

test_colocation_applies if {
	manifest := adv.patched([
		fixtures.set("/spec/locations/0/kind", "colocation"),
		fixtures.set("/spec/locations/0/accelerators", 64),
	])
	fixtures.statuses(rule.findings) == {"fail"} with input as manifest
}

test_only_training_stages_on_premises_apply if {
	cloud_training := adv.patched([fixtures.set("/spec/stages/1/location", "cloud")])
	count(rule.findings) == 0 with input as cloud_training
	fine_tuning := adv.patched([fixtures.set("/spec/stages/1/type", "fine_tuning")])
	count(rule.findings) == 0 with input as fine_tuning
}
