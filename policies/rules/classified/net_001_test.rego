package tdcheck.rules.classified_net_001_test

import data.tdcheck.rules.classified_net_001 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_classified as cls
import rego.v1

test_air_gapped_and_il6_secret_pass if {
	fixtures.statuses(rule.findings) == {"pass"} with input as cls.pipeline
}

test_il6_classified_network_allows_secret if {
	[f] := [f | some f in rule.findings with input as cls.pipeline; f.stage == "train"]
	f.status == "pass"
	f.path == ["spec", "locations", 1, "dod_impact_level"]
}

test_il6_classified_network_allows_confidential if {
	manifest := cls.patched([fixtures.set("/spec/datasets/0/classification_level", "confidential")])
	fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"pass"} with input as manifest
}

test_il6_does_not_allow_top_secret_without_air_gap if {
	manifest := cls.patched([fixtures.set("/spec/datasets/0/classification_level", "top_secret")])
	[f] := [f | some f in rule.findings with input as manifest; f.stage == "train"]
	f.status == "fail"
	f.path == ["spec", "locations", 1, "dod_impact_level"]
	fixtures.statuses(fixtures.for_stage(rule.findings, "ingest")) == {"pass"} with input as manifest
}

test_top_secret_air_gapped_passes if {
	manifest := cls.patched([
		fixtures.set("/spec/datasets/0/classification_level", "top_secret"),
		fixtures.set("/spec/locations/1/air_gapped", true),
	])
	fixtures.statuses(rule.findings) == {"pass"} with input as manifest
}

test_il6_on_a_private_network_fails if {
	manifest := cls.patched([fixtures.set("/spec/locations/1/network", "private")])
	fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"fail"} with input as manifest
}

test_cloud_on_a_classified_network_below_il6_and_unaccredited_fails if {
	manifest := cls.patched([
		fixtures.set("/spec/locations/1/dod_impact_level", "il5"),
		cls.remove("/spec/locations/1/classified_accreditation"),
	])
	fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"fail"} with input as manifest
}

# v1.1: an accredited classified network (a SIPRNet or JWICS enclave) is not air-gapped,
# and passes; IL6 is needed only for clouds.
test_accredited_classified_network_on_premises_passes if {
	manifest := cls.patched([
		fixtures.set("/spec/locations/1/kind", "on_premises"),
		cls.remove("/spec/locations/1/dod_impact_level"),
		fixtures.set("/spec/datasets/0/classification_level", "top_secret"),
	])
	[f] := [f | some f in rule.findings with input as manifest; f.stage == "train"]
	f.status == "pass"
	f.path == ["spec", "locations", 1, "network"]
}

# v1.1: a dedicated government cloud whose ICD 503 accreditation covers the level passes,
# above secret too; a public cloud never gets that route.
test_icd_503_accredited_government_cloud_passes_without_il6 if {
	manifest := cls.patched([
		cls.remove("/spec/locations/1/dod_impact_level"),
		fixtures.set("/spec/locations/1/classified_accreditation", "top_secret"),
		fixtures.set("/spec/datasets/0/classification_level", "top_secret"),
	])
	[f] := [f | some f in rule.findings with input as manifest; f.stage == "train"]
	f.status == "pass"
	f.path == ["spec", "locations", 1, "classified_accreditation"]
	public := cls.patched([
		cls.remove("/spec/locations/1/dod_impact_level"),
		fixtures.set("/spec/locations/1/kind", "public_cloud"),
	])
	fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"fail"} with input as public
	shared := cls.patched([
		cls.remove("/spec/locations/1/dod_impact_level"),
		fixtures.set("/spec/locations/1/tenancy", "multi_tenant"),
	])
	fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"fail"} with input as shared
}

test_network_defaults_to_internet if {
	manifest := cls.patched([cls.remove("/spec/locations/1/network")])
	fixtures.statuses(fixtures.for_stage(rule.findings, "eval")) == {"fail"} with input as manifest
}

test_not_applicable_when_unclassified if {
	manifest := cls.patched([fixtures.set("/spec/datasets/0/classification_level", "unclassified")])
	count(rule.findings) == 0 with input as manifest
}
