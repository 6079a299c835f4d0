package tdcheck.rules.classified_acc_001_test

import data.tdcheck.rules.classified_acc_001 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_classified as cls
import rego.v1

test_accredited_locations_pass if {
	fixtures.statuses(rule.findings) == {"pass"} with input as cls.pipeline
	count(rule.findings) == 3 with input as cls.pipeline
}

test_accreditation_below_level_fails if {
	manifest := cls.patched([fixtures.set("/spec/locations/1/classified_accreditation", "confidential")])
	[f] := [f | some f in rule.findings with input as manifest; f.stage == "train"]
	f.status == "fail"
	f.path == ["spec", "locations", 1, "classified_accreditation"]
	f.message[0][0] == ["stage ", "train", " at ", "il6", " (", "US", ")"]
}

test_absent_accreditation_fails if {
	manifest := cls.patched([cls.remove("/spec/locations/1/classified_accreditation")])
	fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"fail"} with input as manifest
}

test_equal_accreditation_passes_higher_level_fails if {
	fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"pass"} with input as cls.pipeline
	manifest := cls.patched([fixtures.set("/spec/datasets/0/classification_level", "top_secret")])
	fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"fail"} with input as manifest
	fixtures.statuses(fixtures.for_stage(rule.findings, "ingest")) == {"pass"} with input as manifest
}

test_level_propagates_to_the_model if {
	manifest := cls.patched([fixtures.set("/spec/locations/1/classified_accreditation", "confidential")])
	fixtures.statuses(fixtures.for_stage(rule.findings, "eval")) == {"fail"} with input as manifest
}

test_not_applicable_when_unclassified if {
	manifest := cls.patched([fixtures.set("/spec/datasets/0/classification_level", "unclassified")])
	count(rule.findings) == 0 with input as manifest
}
