package tdcheck.rules.air_gap_airgap_001_test

import data.tdcheck.rules.air_gap_airgap_001 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_classified as cls
import rego.v1

# Unclassified data under a mission air-gap mandate, ingested in the air-gapped enclave.
mandated(patches) := cls.patched(array.concat(
	[
		fixtures.set("/spec/datasets/0/classification_level", "unclassified"),
		fixtures.set("/spec/datasets/0/requires_air_gap", true),
	],
	patches,
))

test_air_gapped_location_passes if {
	manifest := mandated([fixtures.set("/spec/locations/1/air_gapped", true)])
	fixtures.statuses(rule.findings) == {"pass"} with input as manifest
	count(rule.findings) == 3 with input as manifest
}

test_connected_location_fails if {
	[f] := [f | some f in rule.findings with input as mandated([]); f.stage == "train"]
	f.status == "fail"
	f.path == ["spec", "locations", 1, "air_gapped"]
	fixtures.statuses(fixtures.for_stage(rule.findings, "ingest")) == {"pass"} with input as mandated([])
}

test_mandate_propagates_through_lineage if {
	# eval reads only the model, which is derived from the mandated data
	fixtures.statuses(fixtures.for_stage(rule.findings, "eval")) == {"fail"} with input as mandated([])
}

test_mandate_applies_to_unclassified_data if {
	count(rule.findings) == 3 with input as mandated([])
}

test_not_applicable_without_mandate if {
	count(rule.findings) == 0 with input as cls.pipeline
}
