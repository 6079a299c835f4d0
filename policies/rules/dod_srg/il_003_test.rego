package tdcheck.rules.dod_srg_il_003_test

import data.tdcheck.rules.dod_srg_il_003 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_federal as fed
import rego.v1

at(il, tenancy) := fed.federal([
	fixtures.set("/spec/datasets/0/dod_impact_level", il),
	fixtures.set("/spec/locations/1/dod_impact_level", "il6"),
	fixtures.set("/spec/locations/1/tenancy", tenancy),
])

test_il5_multi_tenant_fails if {
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as at("il5", "multi_tenant")
	f.status == "fail"
	f.path == ["spec", "locations", 1, "tenancy"]
}

test_il6_multi_tenant_fails if {
	fed.stage_status(rule.findings, "train") == "fail" with input as at("il6", "multi_tenant")
}

test_il5_government_cloud_defaults_to_multi_tenant if {
	manifest := fed.federal([
		fixtures.set("/spec/datasets/0/dod_impact_level", "il5"),
		fed.remove("/spec/locations/1/tenancy"),
	])
	fed.stage_status(rule.findings, "train") == "fail" with input as manifest
}

test_il5_dedicated_passes if {
	fed.stage_status(rule.findings, "train") == "pass" with input as at("il5", "dedicated")
}

test_il6_dedicated_government_passes if {
	fed.stage_status(rule.findings, "train") == "pass" with input as at("il6", "dedicated_government")
}

test_il4_multi_tenant_passes if {
	[f] := [f | some f in rule.findings; f.stage == "train"] with input as at("il4", "multi_tenant")
	f.status == "pass"
	f.message[2] == "multi_tenant"
	contains(f.message[3], "logical separation")
}

test_il2_multi_tenant_passes if {
	fed.stage_status(rule.findings, "train") == "pass" with input as at("il2", "multi_tenant")
}

test_il5_colocation_defaults_to_dedicated if {
	manifest := fed.federal([
		fixtures.set("/spec/datasets/0/dod_impact_level", "il5"),
		fixtures.set("/spec/locations/0/kind", "colocation"),
	])
	fed.stage_status(rule.findings, "prep") == "pass" with input as manifest
}

test_not_applicable_without_impact_level if {
	manifest := fed.federal([fed.remove("/spec/datasets/0/dod_impact_level")])
	count(rule.findings) == 0 with input as manifest
}
