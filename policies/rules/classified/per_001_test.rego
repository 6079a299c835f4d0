package tdcheck.rules.classified_per_001_test

import data.tdcheck.rules.classified_per_001 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_classified as cls
import rego.v1

test_cleared_personnel_pass if {
	fixtures.statuses(rule.findings) == {"pass"} with input as cls.pipeline
}

test_clearance_below_level_fails if {
	manifest := cls.patched([fixtures.set("/spec/locations/1/personnel/clearance", "confidential")])
	[f] := [f | some f in rule.findings with input as manifest; f.stage == "train"]
	f.status == "fail"
	f.path == ["spec", "locations", 1, "personnel", "clearance"]
}

test_clearance_order if {
	# data secret: none < confidential < secret <= secret < top_secret
	every clearance in ["none", "confidential"] {
		manifest := cls.patched([fixtures.set("/spec/locations/1/personnel/clearance", clearance)])
		fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"fail"} with input as manifest
	}
	every clearance in ["secret", "top_secret"] {
		manifest := cls.patched([fixtures.set("/spec/locations/1/personnel/clearance", clearance)])
		fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"pass"} with input as manifest
	}
}

test_secret_clearance_for_top_secret_fails if {
	manifest := cls.patched([fixtures.set("/spec/datasets/0/classification_level", "top_secret")])
	fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"fail"} with input as manifest
	fixtures.statuses(fixtures.for_stage(rule.findings, "ingest")) == {"pass"} with input as manifest
}

test_clearance_defaults_to_none if {
	no_personnel := cls.patched([cls.remove("/spec/locations/1/personnel")])
	fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"fail"} with input as no_personnel
	partial := cls.patched([fixtures.set("/spec/locations/1/personnel", {"us_citizens_only": true})])
	fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"fail"} with input as partial
}

test_not_applicable_when_unclassified if {
	manifest := cls.patched([
		fixtures.set("/spec/datasets/0/classification_level", "unclassified"),
		cls.remove("/spec/locations/1/personnel"),
	])
	count(rule.findings) == 0 with input as manifest
}
