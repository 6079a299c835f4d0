package tdcheck.rules.hipaa_res_001_test

import data.tdcheck.rules.hipaa_res_001 as rule
import data.tdcheck.test.fixtures
import rego.v1

test_country_outside_default_list_fails if {
	manifest := fixtures.patched([fixtures.set("/spec/locations/1/country", "DE")])
	[f] := [f | some f in rule.findings with input as manifest; f.stage == "train"]
	f.status == "fail"
	f.path == ["spec", "locations", 1, "country"]
	f.message == [
		[
			["stage ", "train", " at ", "cloud", " (", "DE", ")"],
			" handles ", "PHI", " (", {"list": ["features", "model"]}, ")",
		],
		"; ", "DE", " is not in phi_allowed_countries (", {"list": ["US"]}, ")",
	]
}

test_us_passes_by_default if {
	fixtures.statuses(rule.findings) == {"pass"} with input as fixtures.phi_pipeline
	count(rule.findings) == 3 with input as fixtures.phi_pipeline
}

test_organisation_list_overrides_default if {
	manifest := fixtures.patched([fixtures.set("/spec/locations/1/country", "CA")])
	fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"pass"} with input as manifest
		with data.tdcheck.org.phi_allowed_countries as ["US", "CA"]
}

test_override_can_exclude_us if {
	statuses := fixtures.statuses(rule.findings) with input as fixtures.phi_pipeline
		with data.tdcheck.org.phi_allowed_countries as ["DE"]
	statuses == {"fail"}
}

# The list is literal: a US territory is only allowed when listed.
test_us_territory_needs_listing if {
	manifest := fixtures.patched([fixtures.set("/spec/locations/1/country", "PR")])
	fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"fail"} with input as manifest
	fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"pass"} with input as manifest
		with data.tdcheck.org.phi_allowed_countries as ["US", "PR"]
}

test_not_applicable_without_phi if {
	manifest := fixtures.patched([
		fixtures.set("/spec/datasets/0/classifications", ["pii"]),
		fixtures.set("/spec/locations/1/country", "DE"),
	])
	count(rule.findings) == 0 with input as manifest
}

test_deidentified_data_may_leave if {
	manifest := fixtures.patched([
		fixtures.set("/spec/locations/1/country", "DE"),
		fixtures.set("/spec/stages/1/type", "deidentification"),
		fixtures.set("/spec/datasets/1/deidentification", {"method": "expert_determination", "evidence_ref": "ED-4"}),
	])
	count(fixtures.for_stage(rule.findings, "train")) == 0 with input as manifest
}

test_limited_data_set_is_still_phi if {
	manifest := fixtures.patched([
		fixtures.set("/spec/locations/1/country", "DE"),
		fixtures.set("/spec/stages/1/type", "deidentification"),
		fixtures.set("/spec/datasets/1/deidentification", {"method": "limited_data_set", "evidence_ref": "DUA-2"}),
	])
	fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"fail"} with input as manifest
}
