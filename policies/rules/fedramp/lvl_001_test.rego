package tdcheck.rules.fedramp_lvl_001_test

import data.tdcheck.rules.fedramp_lvl_001 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_federal as fed
import rego.v1

# A low-impact pipeline at a location with the given fedramp level and service model.
low_at(level, service_model) := fed.federal([
	fixtures.set("/spec/datasets/0/fips199_impact", "low"),
	fixtures.set("/spec/locations/1/fedramp/level", level),
	fixtures.set("/spec/locations/1/service_model", service_model),
])

test_high_covers_moderate if {
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as fed.federal_pipeline
	f.status == "pass"
	f.path == ["spec", "locations", 1, "fedramp", "level"]
}

test_equal_level_passes if {
	manifest := fed.federal([fixtures.set("/spec/locations/1/fedramp/level", "moderate")])
	fed.stage_status(rule.findings, "train") == "pass" with input as manifest
}

test_lower_level_fails if {
	manifest := fed.federal([fixtures.set("/spec/locations/1/fedramp/level", "low")])
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as manifest
	f.status == "fail"
	f.path == ["spec", "locations", 1, "fedramp", "level"]
	"moderate" in f.message
}

test_high_impact_needs_high if {
	manifest := fed.federal([
		fixtures.set("/spec/datasets/0/fips199_impact", "high"),
		fixtures.set("/spec/locations/1/fedramp/level", "moderate"),
	])
	fed.stage_status(rule.findings, "train") == "fail" with input as manifest
}

test_no_fedramp_object_fails if {
	manifest := fed.federal([fed.remove("/spec/locations/1/fedramp")])
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as manifest
	f.status == "fail"
	f.path == ["spec", "locations", 1, "fedramp"]
}

test_li_saas_counts_as_low_for_saas if {
	fed.stage_status(rule.findings, "train") == "pass" with input as low_at("li_saas", "saas")
}

test_li_saas_does_not_count_for_iaas if {
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as low_at("li_saas", "iaas")
	f.status == "fail"
	"iaas" in f.message
}

test_li_saas_does_not_count_for_paas if {
	fed.stage_status(rule.findings, "train") == "fail" with input as low_at("li_saas", "paas")
}

test_li_saas_does_not_count_for_default_iaas if {
	manifest := fed.federal([
		fixtures.set("/spec/datasets/0/fips199_impact", "low"),
		fixtures.set("/spec/locations/1/fedramp/level", "li_saas"),
	])
	fed.stage_status(rule.findings, "train") == "fail" with input as manifest
}

test_li_saas_is_below_moderate_even_for_saas if {
	manifest := fed.federal([
		fixtures.set("/spec/locations/1/fedramp/level", "li_saas"),
		fixtures.set("/spec/locations/1/service_model", "saas"),
	])
	fed.stage_status(rule.findings, "train") == "fail" with input as manifest
}

test_low_covers_low_for_iaas if {
	fed.stage_status(rule.findings, "train") == "pass" with input as low_at("low", "iaas")
}

test_level_is_judged_apart_from_status if {
	manifest := fed.federal([fixtures.set("/spec/locations/1/fedramp/status", "ready")])
	fed.stage_status(rule.findings, "train") == "pass" with input as manifest
}

test_not_applicable_on_self_operated_private_cloud if {
	manifest := fed.federal([
		fixtures.set("/spec/locations/1/kind", "private_cloud"),
		fixtures.set("/spec/locations/1/operator", "self"),
	])
	count(rule.findings) == 0 with input as manifest
}

test_not_applicable_without_impact if {
	manifest := fed.federal([fed.remove("/spec/datasets/0/fips199_impact")])
	count(rule.findings) == 0 with input as manifest
}
