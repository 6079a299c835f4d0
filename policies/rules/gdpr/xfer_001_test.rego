package tdcheck.rules.gdpr_xfer_001_test

import data.tdcheck.rules.gdpr_xfer_001 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_gdpr as gdpr
import rego.v1

no_mechanism := gdpr.patched([gdpr.remove("/spec/transfers/0/gdpr_mechanism")])

test_scc_transfer_into_the_location_passes if {
	[f] := [f | some f in rule.findings with input as gdpr.pipeline; f.stage == "train"]
	f.status == "pass"
	f.path == ["spec", "transfers", 0, "gdpr_mechanism"]
}

test_scc_covers_data_derived_at_the_destination if {
	# serve reads only the model trained in the US on the transferred features
	fixtures.statuses(fixtures.for_stage(rule.findings, "serve")) == {"pass"} with input as gdpr.pipeline
}

test_bcr_passes if {
	manifest := gdpr.patched([fixtures.set("/spec/transfers/0/gdpr_mechanism", "bcr")])
	fixtures.statuses(rule.findings) == {"pass"} with input as manifest
}

test_no_mechanism_fails if {
	[f] := [f | some f in rule.findings with input as no_mechanism; f.stage == "train"]
	f.status == "fail"
	f.path == ["spec", "locations", 1, "country"]
	fixtures.statuses(rule.findings) == {"fail"} with input as no_mechanism
}

test_derogation_and_declared_adequacy_or_dpf_do_not_count if {
	every mechanism in ["derogation", "adequacy", "dpf"] {
		manifest := gdpr.patched([fixtures.set("/spec/transfers/0/gdpr_mechanism", mechanism)])
		fixtures.statuses(rule.findings) == {"fail"} with input as manifest
	}
}

test_undeclared_movement_fails if {
	manifest := gdpr.patched([gdpr.remove("/spec/transfers")])
	fixtures.statuses(rule.findings) == {"fail"} with input as manifest
}

test_us_with_dpf_certification_passes if {
	manifest := gdpr.patched([
		gdpr.remove("/spec/transfers/0/gdpr_mechanism"),
		fixtures.set("/spec/locations/1/gdpr", {"dpf_certified": true}),
	])
	[f] := [f | some f in rule.findings with input as manifest; f.stage == "train"]
	f.status == "pass"
	f.path == ["spec", "locations", 1, "gdpr", "dpf_certified"]
}

test_us_is_not_adequate_without_dpf if {
	not "US" in data.tdcheck.reference.eu_adequacy.countries
	fixtures.statuses(rule.findings) == {"fail"} with input as no_mechanism
}

test_dpf_counts_only_in_the_us if {
	every country in ["IN", "PR"] {
		manifest := gdpr.patched([
			gdpr.remove("/spec/transfers/0/gdpr_mechanism"),
			fixtures.set("/spec/locations/1/country", country),
			fixtures.set("/spec/locations/1/gdpr", {"dpf_certified": true}),
		])
		fixtures.statuses(rule.findings) == {"fail"} with input as manifest
	}
}

test_adequacy_list_passes if {
	every country in ["GB", "JP", "CH", "KR", "BR"] {
		manifest := gdpr.patched([
			gdpr.remove("/spec/transfers/0/gdpr_mechanism"),
			fixtures.set("/spec/locations/1/country", country),
		])
		fixtures.statuses(rule.findings) == {"pass"} with input as manifest
	}
}

test_adequacy_list_is_policy_data if {
	manifest := gdpr.patched([
		gdpr.remove("/spec/transfers/0/gdpr_mechanism"),
		fixtures.set("/spec/locations/1/country", "GB"),
	])
	fixtures.statuses(rule.findings) == {"fail"} with input as manifest
		with data.tdcheck.reference.eu_adequacy.countries as ["CH"]
}

test_not_applicable_inside_the_eea if {
	every country in ["FR", "NO", "IS", "LI"] {
		manifest := gdpr.patched([
			gdpr.remove("/spec/transfers/0/gdpr_mechanism"),
			fixtures.set("/spec/locations/1/country", country),
		])
		count(rule.findings) == 0 with input as manifest
	}
}

test_transfer_must_carry_the_data if {
	# an SCC transfer of the public base model does not cover the EU personal data
	manifest := gdpr.patched([
		gdpr.remove("/spec/transfers/0/gdpr_mechanism"),
		fixtures.set("/spec/stages/4", {"id": "fetch", "type": "ingestion", "location": "dc-de", "outputs": ["base"]}),
		fixtures.set("/spec/transfers/1", {
			"from": "dc-de", "to": "us-cloud", "datasets": ["base"],
			"channel": "private_link", "gdpr_mechanism": "scc", "tia_ref": "TIA-1",
		}),
	])
	fixtures.statuses(rule.findings) == {"fail"} with input as manifest
}

test_transfer_must_go_into_the_location if {
	# the model comes back to Germany under SCC: that is not a transfer into us-cloud
	manifest := gdpr.patched([
		gdpr.remove("/spec/transfers/0/gdpr_mechanism"),
		fixtures.set("/spec/stages/3/location", "dc-de"),
		fixtures.set("/spec/transfers/1", {
			"from": "us-cloud", "to": "dc-de", "datasets": ["model"],
			"channel": "private_link", "gdpr_mechanism": "scc", "tia_ref": "TIA-1",
		}),
	])
	fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"fail"} with input as manifest
}

test_not_applicable_without_eu_personal_data if {
	manifest := gdpr.patched([
		fixtures.set("/spec/datasets/0/classifications", ["pii"]),
		gdpr.remove("/spec/transfers/0/gdpr_mechanism"),
	])
	count(rule.findings) == 0 with input as manifest
}
