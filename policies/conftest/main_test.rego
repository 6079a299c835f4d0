package main_test

import data.main
import data.tdcheck.conftest
import data.tdcheck.test.fixtures
import rego.v1

no_baa := fixtures.patched([fixtures.set("/spec/locations/1/hipaa_baa", false)])

cui_on_140_2 := fixtures.patched([
	fixtures.set("/spec/datasets/0/classifications", ["cui"]),
	fixtures.set("/spec/locations/1/fips_140", "140-2"),
	fixtures.set("/spec/locations/1/fedramp_moderate_equivalent", true),
])

test_error_finding_is_a_deny_with_rule_id_and_message if {
	msg := concat("", [
		"HIPAA-BAA-001: stage train at cloud (US) handles PHI (features, model); ",
		"its operator is a third party and no BAA covers it (hipaa_baa is false)",
	])
	some result in main.deny with input as no_baa
	result.msg == msg
	result.rule_id == "HIPAA-BAA-001"
	result.path == ["spec", "locations", 1, "hipaa_baa"]
}

test_compliant_manifest_has_no_deny if {
	count(main.deny) == 0 with input as fixtures.phi_pipeline
}

test_warning_is_a_warn_not_a_deny if {
	manifest := fixtures.patched([fixtures.set("/spec/locations/1/encryption_at_rest", "none")])
	ids := {r.rule_id | some r in main.warn} with input as manifest
	ids == {"HIPAA-ENC-001"}
	count(main.deny) == 0 with input as manifest
}

test_date_from_data_when_input_has_none if {
	{r.rule_id | some r in main.warn} == {"CUI-003"} with input as cui_on_140_2
		with data.tdcheck.as_of as "2026-09-21"
	count(main.warn) == 0 with input as cui_on_140_2 with data.tdcheck.as_of as "2026-09-20"
}

test_date_from_input_wins if {
	manifest := json.patch(cui_on_140_2, [fixtures.set("/_tdcheck", {"as_of": "2026-01-01"})])
	count(main.warn) == 0 with input as manifest with data.tdcheck.as_of as "2027-01-01"
}

test_data_merges_over_the_defaults if {
	{r.rule_id | some r in main.deny} == {"HIPAA-RES-001"} with input as fixtures.phi_pipeline
		with data.tdcheck.org as {"phi_allowed_countries": ["DE"]}
}

test_other_documents_are_ignored if {
	count(main.deny) == 0 with input as {"apiVersion": "apps/v1", "kind": "Deployment"}
}

test_message_fragments_join_like_the_checker if {
	conftest.text(["a ", 1, " ", true, " (", {"list": ["x", "y", "z"]}, ") ", ["b", 0.5]]) == "a 1 true (x, y, z) b0.5"
}
