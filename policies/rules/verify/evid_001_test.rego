package tdcheck.rules.verify_evid_001_test

import data.tdcheck.rules.verify_evid_001 as rule
import data.tdcheck.test.fixtures_evidence as fx
import rego.v1

test_resources_in_the_claimed_region_pass if {
	[f] := rule.findings with input as fx.manifest([fx.bucket, fx.domain])
		with data.tdcheck.reference.providers as fx.catalogue
	f.status == "pass"
	f.location == "cloud"
}

test_region_drift_fails_at_the_region_claim if {
	moved := object.union(fx.bucket, {"region": "eu-central-1"})
	[f] := rule.findings with input as fx.manifest([fx.domain, moved])
		with data.tdcheck.reference.providers as fx.catalogue
	f.status == "fail"
	f.path == ["spec", "locations", 0, "region"]
	f.message[0] == ["aws_s3_bucket.lake", " (", "infra/main.tf", ":", 12, ")"]
	f.message[2] == "eu-central-1"
	f.message[3] == [" (", "DE", ")"]
}

test_country_contradicted_through_the_catalogue if {
	manifest := fx.with_location([fx.bucket], {"country": "DE"})
	[f] := rule.findings with input as manifest with data.tdcheck.reference.providers as fx.catalogue
	f.status == "fail"
	f.path == ["spec", "locations", 0, "country"]
}

# Without the catalogue the country is not verified: no pass, but a wrong region still fails.
test_region_unknown_to_the_catalogue_gives_no_pass if {
	count(rule.findings) == 0 with input as fx.manifest([fx.bucket]) with data.tdcheck.reference.providers as {}
	moved := object.union(fx.bucket, {"region": "eu-central-1"})
	[f] := rule.findings with input as fx.manifest([moved]) with data.tdcheck.reference.providers as {}
	f.status == "fail"
}

# One bound resource whose region cannot be resolved withholds the pass (EVID-006 says why).
test_an_unresolved_region_withholds_the_pass if {
	open := object.union(json.remove(fx.domain, ["region"]), {"unresolved": ["region"]})
	count(rule.findings) == 0 with input as fx.manifest([fx.bucket, open])
		with data.tdcheck.reference.providers as fx.catalogue
}

test_no_resolved_region_no_finding if {
	unresolved := json.remove(fx.bucket, ["region"])
	count(rule.findings) == 0 with input as fx.manifest([unresolved])
}
