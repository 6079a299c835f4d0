package tdcheck.rules.hipaa_deid_001_test

import data.tdcheck.rules.hipaa_deid_001 as rule
import data.tdcheck.test.fixtures
import rego.v1

# prep (index 1) becomes the de-identification stage; features (index 1) is its output.
deid(deidentification) := fixtures.patched([
	fixtures.set("/spec/stages/1/type", "deidentification"),
	fixtures.set("/spec/datasets/1/deidentification", deidentification),
])

test_safe_harbor_with_evidence_passes if {
	manifest := deid({"method": "safe_harbor", "evidence_ref": "SH-CHECKLIST-7"})
	[f] := [f | some f in rule.findings with input as manifest]
	f.status == "pass"
	f.stage == "prep"
	f.path == ["spec", "stages", 1, "outputs"]
}

test_expert_determination_with_evidence_passes if {
	manifest := deid({"method": "expert_determination", "evidence_ref": "ED-2026-03"})
	fixtures.statuses(rule.findings) == {"pass"} with input as manifest
}

test_output_without_deidentification_fails if {
	manifest := fixtures.patched([fixtures.set("/spec/stages/1/type", "deidentification")])
	[f] := [f | some f in rule.findings with input as manifest]
	f.status == "fail"
	f.path == ["spec", "datasets", 1, "deidentification"]
	["; output ", "features", " declares no deidentification"] in f.message
}

test_limited_data_set_is_not_deidentification if {
	manifest := deid({"method": "limited_data_set", "evidence_ref": "DUA-9"})
	[f] := [f | some f in rule.findings with input as manifest]
	f.status == "fail"
	f.path == ["spec", "datasets", 1, "deidentification", "method"]
}

test_method_none_is_not_deidentification if {
	manifest := deid({"method": "none", "evidence_ref": "X"})
	fixtures.statuses(rule.findings) == {"fail"} with input as manifest
}

test_missing_method_fails if {
	manifest := deid({"evidence_ref": "SH-1"})
	[f] := [f | some f in rule.findings with input as manifest]
	f.status == "fail"
	f.path == ["spec", "datasets", 1, "deidentification", "method"]
}

test_method_without_evidence_fails if {
	manifest := deid({"method": "safe_harbor"})
	[f] := [f | some f in rule.findings with input as manifest]
	f.status == "fail"
	f.path == ["spec", "datasets", 1, "deidentification", "evidence_ref"]
	["; output ", "features", " has no deidentification.evidence_ref"] in f.message
}

test_empty_evidence_fails if {
	manifest := deid({"method": "expert_determination", "evidence_ref": ""})
	fixtures.statuses(rule.findings) == {"fail"} with input as manifest
}

# Any output: one good output does not cover a second one without a method.
test_any_output_failing_fails if {
	manifest := json.patch(deid({"method": "safe_harbor", "evidence_ref": "SH-1"}), [
		fixtures.set("/spec/datasets/-", {"id": "labels", "classifications": ["internal"]}),
		fixtures.set("/spec/stages/1/outputs/-", "labels"),
	])
	[f] := [f | some f in rule.findings with input as manifest]
	f.status == "fail"
	f.path == ["spec", "datasets", 3, "deidentification"]
	["; output ", "labels", " declares no deidentification"] in f.message
}

test_every_failing_output_is_named if {
	manifest := json.patch(deid({"method": "limited_data_set"}), [
		fixtures.set("/spec/datasets/-", {"id": "labels", "classifications": ["internal"]}),
		fixtures.set("/spec/stages/1/outputs/-", "labels"),
	])
	[f] := [f | some f in rule.findings with input as manifest]
	f.message[4] == [
		"; output ", "features", " has deidentification.method ", "limited_data_set",
		", not safe_harbor or expert_determination",
	]
	f.message[5] == ["; output ", "labels", " declares no deidentification"]
}

# The stage reads PHI by lineage: its input is internal as declared, derived from PHI.
test_phi_by_lineage_applies if {
	manifest := fixtures.patched([
		fixtures.set("/spec/datasets/-", {"id": "clean", "classifications": ["internal"]}),
		fixtures.set("/spec/stages/-", {
			"id": "scrub", "type": "deidentification", "location": "dc",
			"inputs": ["features"], "outputs": ["clean"],
		}),
	])
	[f] := [f | some f in rule.findings with input as manifest]
	f.stage == "scrub"
	f.status == "fail"
}

test_stage_without_outputs_passes if {
	manifest := fixtures.patched([
		fixtures.set("/spec/stages/-", {"id": "scrub", "type": "deidentification", "location": "dc", "inputs": ["records"]}),
	])
	[f] := [f | some f in rule.findings with input as manifest]
	f.stage == "scrub"
	f.status == "pass"
}

test_not_applicable_without_phi_input if {
	manifest := fixtures.patched([
		fixtures.set("/spec/datasets/0/classifications", ["pii"]),
		fixtures.set("/spec/stages/1/type", "deidentification"),
	])
	count(rule.findings) == 0 with input as manifest
}

test_not_applicable_to_other_stage_types if {
	count(rule.findings) == 0 with input as fixtures.phi_pipeline
}
