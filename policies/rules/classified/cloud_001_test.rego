package tdcheck.rules.classified_cloud_001_test

import data.tdcheck.rules.classified_cloud_001 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_classified as cls
import rego.v1

test_dedicated_government_cloud_with_secret_passes if {
	fixtures.statuses(rule.findings) == {"pass"} with input as cls.pipeline
	count(rule.findings) == 3 with input as cls.pipeline
}

test_multi_tenant_government_cloud_fails if {
	manifest := cls.patched([fixtures.set("/spec/locations/1/tenancy", "multi_tenant")])
	[f] := [f | some f in rule.findings with input as manifest; f.stage == "train"]
	f.status == "fail"
	f.path == ["spec", "locations", 1, "tenancy"]
}

test_government_cloud_defaults_to_multi_tenant if {
	manifest := cls.patched([cls.remove("/spec/locations/1/tenancy")])
	fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"fail"} with input as manifest
}

test_multi_tenant_public_cloud_fails if {
	manifest := cls.patched([
		fixtures.set("/spec/locations/1/kind", "public_cloud"),
		fixtures.set("/spec/locations/1/tenancy", "multi_tenant"),
	])
	fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"fail"} with input as manifest
}

test_dedicated_public_cloud_with_secret_passes if {
	manifest := cls.patched([
		fixtures.set("/spec/locations/1/kind", "public_cloud"),
		fixtures.set("/spec/locations/1/tenancy", "dedicated"),
	])
	fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"pass"} with input as manifest
}

test_top_secret_fails_in_any_dedicated_government_or_public_cloud if {
	gov := cls.patched([fixtures.set("/spec/datasets/0/classification_level", "top_secret")])
	[f] := [f | some f in rule.findings with input as gov; f.stage == "train"]
	f.status == "fail"
	f.path == ["spec", "locations", 1, "kind"]
	public := cls.patched([
		fixtures.set("/spec/datasets/0/classification_level", "top_secret"),
		fixtures.set("/spec/locations/1/kind", "public_cloud"),
		fixtures.set("/spec/locations/1/tenancy", "dedicated"),
	])
	fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"fail"} with input as public
}

test_top_secret_on_premises_passes if {
	manifest := cls.patched([fixtures.set("/spec/datasets/0/classification_level", "top_secret")])
	fixtures.statuses(fixtures.for_stage(rule.findings, "ingest")) == {"pass"} with input as manifest
}

test_private_cloud_is_outside_the_rule_condition if {
	manifest := cls.patched([
		fixtures.set("/spec/locations/1/kind", "private_cloud"),
		fixtures.set("/spec/locations/1/tenancy", "multi_tenant"),
		fixtures.set("/spec/datasets/0/classification_level", "top_secret"),
	])
	fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"pass"} with input as manifest
}

test_not_applicable_when_unclassified if {
	manifest := cls.patched([
		fixtures.set("/spec/datasets/0/classification_level", "unclassified"),
		fixtures.set("/spec/locations/1/tenancy", "multi_tenant"),
	])
	count(rule.findings) == 0 with input as manifest
}

# v1.1: an ICD 503 accredited top-secret government cloud (not multi-tenant) may hold TOP
# SECRET; accreditation does not help a public cloud or a multi-tenant one.
test_top_secret_accredited_government_cloud_passes if {
	manifest := cls.patched([
		fixtures.set("/spec/datasets/0/classification_level", "top_secret"),
		fixtures.set("/spec/locations/1/classified_accreditation", "top_secret"),
	])
	[f] := [f | some f in rule.findings with input as manifest; f.stage == "train"]
	f.status == "pass"
	f.path == ["spec", "locations", 1, "classified_accreditation"]
	public := cls.patched([
		fixtures.set("/spec/datasets/0/classification_level", "top_secret"),
		fixtures.set("/spec/locations/1/classified_accreditation", "top_secret"),
		fixtures.set("/spec/locations/1/kind", "public_cloud"),
	])
	fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"fail"} with input as public
	shared := cls.patched([
		fixtures.set("/spec/datasets/0/classification_level", "top_secret"),
		fixtures.set("/spec/locations/1/classified_accreditation", "top_secret"),
		fixtures.set("/spec/locations/1/tenancy", "multi_tenant"),
	])
	fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"fail"} with input as shared
}
