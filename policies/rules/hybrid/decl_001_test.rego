package tdcheck.rules.hybrid_decl_001_test

import data.tdcheck.rules.hybrid_decl_001 as rule
import data.tdcheck.test.fixtures_hybrid as fixtures
import rego.v1

test_declared_movements_pass if {
	findings := rule.findings with input as fixtures.pii_pipeline
	{f.transfer | some f in findings} == {
		{"from": "dc", "to": "cloud", "datasets": ["features"]},
		{"from": "cloud", "to": "dc", "datasets": ["model"]},
	}
	fixtures.statuses(findings) == {"pass"}
}

# The model is internal as declared but trained on PII, so its way back is regulated.
test_undeclared_model_movement_fails if {
	manifest := json.patch(fixtures.pii_pipeline, [fixtures.remove("/spec/transfers/1")])
	[f] := [f | some f in fixtures.for_dataset(rule.findings, "model")] with input as manifest
	f.status == "fail"
	f.subject == "movement"
	f.transfer == {"from": "cloud", "to": "dc", "datasets": ["model"]}
	f.path == ["spec", "stages", 4, "inputs", 0]
	f.message == [
		"regulated data (", {"list": ["pii"]}, "): ",
		["dataset ", "model", " moving ", "cloud", " (", "US", ") -> ", "dc", " (", "US", ")"],
		" is not declared by any transfer",
	]
}

test_declared_movement_points_at_its_transfer if {
	[f] := [f | some f in fixtures.for_dataset(rule.findings, "features")] with input as fixtures.pii_pipeline
	f.status == "pass"
	f.path == ["spec", "transfers", 0, "datasets"]
}

test_transfer_of_another_dataset_does_not_cover if {
	manifest := fixtures.patched([fixtures.set("/spec/transfers/1/datasets", ["vocab"])])
	[f] := [f | some f in fixtures.for_dataset(rule.findings, "model")] with input as manifest
	f.status == "fail"
}

test_transfer_in_the_other_direction_does_not_cover if {
	manifest := fixtures.patched([
		fixtures.set("/spec/transfers/1/from", "dc"),
		fixtures.set("/spec/transfers/1/to", "cloud"),
	])
	failed := {f.transfer | some f in rule.findings; f.status == "fail"} with input as manifest
	failed == {{"from": "cloud", "to": "dc", "datasets": ["model"]}}
}

# A transfer may declare a movement no stage implies (a copy to a standby site).
test_declared_only_movement_passes if {
	manifest := fixtures.patched([fixtures.set("/spec/transfers/0/datasets", ["features", "customers"])])
	[f] := [f | some f in fixtures.for_dataset(rule.findings, "customers")] with input as manifest
	f.status == "pass"
}

test_public_data_needs_no_declaration if {
	count(fixtures.for_dataset(rule.findings, "vocab")) == 0 with input as fixtures.pii_pipeline
}

test_internal_data_needs_no_declaration if {
	manifest := json.patch(fixtures.pii_pipeline, [
		fixtures.set("/spec/datasets/0/classifications", ["internal"]),
		fixtures.remove("/spec/transfers"),
	])
	count(rule.findings) == 0 with input as manifest
}

test_classification_level_alone_is_regulated if {
	manifest := json.patch(fixtures.pii_pipeline, [
		fixtures.set("/spec/datasets/0/classifications", ["internal"]),
		fixtures.set("/spec/datasets/0/classification_level", "confidential"),
		fixtures.remove("/spec/transfers"),
	])
	findings := rule.findings with input as manifest
	count(findings) == 2
	fixtures.statuses(findings) == {"fail"}
	every f in findings {
		f.message[1] == {"list": ["confidential"]}
	}
}

test_every_regulated_class_counts if {
	every class in ["phi", "cui", "itar", "ear", "eu_personal"] {
		manifest := json.patch(fixtures.pii_pipeline, [
			fixtures.set("/spec/datasets/0/classifications", [class]),
			fixtures.remove("/spec/transfers"),
		])
		fixtures.statuses(rule.findings) == {"fail"} with input as manifest
	}
}
