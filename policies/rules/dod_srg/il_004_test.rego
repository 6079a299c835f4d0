package tdcheck.rules.dod_srg_il_004_test

import data.tdcheck.rules.dod_srg_il_004 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_federal as fed
import rego.v1

with_personnel(il, personnel) := fed.federal([
	fixtures.set("/spec/datasets/0/dod_impact_level", il),
	fixtures.set("/spec/locations/1/dod_impact_level", "il6"),
	fixtures.set("/spec/locations/1/personnel", personnel),
])

test_il4_us_persons_pass if {
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as fed.federal_pipeline
	f.status == "pass"
	f.path == ["spec", "locations", 1, "personnel", "us_persons_only"]
}

test_il4_without_us_persons_fails if {
	manifest := with_personnel("il4", {"us_persons_only": false})
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as manifest
	f.status == "fail"
	f.path == ["spec", "locations", 1, "personnel", "us_persons_only"]
}

test_il5_without_us_persons_fails if {
	manifest := with_personnel("il5", {"us_citizens_only": false, "clearance": "top_secret"})
	fed.stage_status(rule.findings, "train") == "fail" with input as manifest
}

test_il5_us_persons_pass if {
	manifest := with_personnel("il5", {"us_persons_only": true})
	fed.stage_status(rule.findings, "train") == "pass" with input as manifest
}

test_il6_citizens_with_secret_pass if {
	manifest := with_personnel("il6", {"us_citizens_only": true, "clearance": "secret"})
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as manifest
	f.status == "pass"
	f.path == ["spec", "locations", 1, "personnel", "clearance"]
}

test_il6_citizens_with_top_secret_pass if {
	manifest := with_personnel("il6", {"us_citizens_only": true, "clearance": "top_secret"})
	fed.stage_status(rule.findings, "train") == "pass" with input as manifest
}

test_il6_citizens_with_confidential_fail if {
	manifest := with_personnel("il6", {"us_citizens_only": true, "clearance": "confidential"})
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as manifest
	f.status == "fail"
	f.path == ["spec", "locations", 1, "personnel", "clearance"]
	"confidential" in f.message
}

test_il6_citizens_default_clearance_fails if {
	manifest := with_personnel("il6", {"us_citizens_only": true})
	fed.stage_status(rule.findings, "train") == "fail" with input as manifest
}

test_il6_us_persons_are_not_enough if {
	manifest := with_personnel("il6", {"us_persons_only": true, "clearance": "secret"})
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as manifest
	f.status == "fail"
	f.path == ["spec", "locations", 1, "personnel", "us_citizens_only"]
}

test_il2_sets_no_personnel_requirement if {
	manifest := with_personnel("il2", {})
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as manifest
	f.status == "pass"
	f.path == ["spec", "locations", 1, "personnel"]
}

test_not_applicable_at_self_operated_location if {
	manifest := fed.federal([fixtures.set("/spec/locations/1/operator", "self")])
	count(rule.findings) == 0 with input as manifest
}
