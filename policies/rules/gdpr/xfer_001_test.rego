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

test_recurring_derogation_and_declared_adequacy_or_dpf_do_not_count if {
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

# v1.1: a one-off transfer (recurring: false) under an Art. 49 derogation is a Chapter V basis.
test_one_off_derogation_covers if {
	manifest := gdpr.patched([
		fixtures.set("/spec/transfers/0/gdpr_mechanism", "derogation"),
		fixtures.set("/spec/transfers/0/recurring", false),
	])
	fixtures.statuses(rule.findings) == {"pass"} with input as manifest
	[f] := [f | some f in rule.findings with input as manifest; f.stage == "train"]
	f.path == ["spec", "transfers", 0, "gdpr_mechanism"]
}

# v1.1: data the US operator collects directly from the data subjects is not transferred
# when read there (EDPB Guidelines 05/2021); what is derived from it is covered there too.
collected_in_the_us := gdpr.patched([
	fixtures.set("/spec/stages/0/location", "us-cloud"),
	fixtures.set("/spec/stages/0/outputs", []),
	fixtures.set("/spec/datasets/0/collected_directly", true),
	fixtures.set("/spec/stages/1/location", "us-cloud"),
	fixtures.set("/spec/transfers", []),
])

test_collected_directly_where_it_is_read_is_covered if {
	fixtures.statuses(rule.findings) == {"pass"} with input as collected_in_the_us
	[f] := [f | some f in rule.findings with input as collected_in_the_us; f.stage == "prep"]
	f.path == ["spec", "locations", 1, "country"]
	f.message[2] == {"list": [["dataset ", "customers", " (collected_directly)"]]}
}

test_collected_directly_does_not_cover_a_later_movement if {
	# the model trained in the US is served from India: a transfer out of the US needs a basis
	manifest := json.patch(collected_in_the_us, [
		fixtures.set("/spec/locations/-", {"id": "in-cloud", "kind": "public_cloud", "country": "IN"}),
		fixtures.set("/spec/stages/3/location", "in-cloud"),
	])
	fixtures.statuses(fixtures.for_stage(rule.findings, "serve")) == {"fail"} with input as manifest
	fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"pass"} with input as manifest
}

test_collected_directly_false_covers_nothing if {
	manifest := json.patch(collected_in_the_us, [fixtures.set("/spec/datasets/0/collected_directly", false)])
	fixtures.statuses(rule.findings) == {"fail"} with input as manifest
}

# "an EU-personal dataset it derives from": the public base, carried under SCC beside the
# features, does not cover the tags (declared EU personal) derived from it alone.
test_a_non_eu_dataset_under_scc_covers_nothing if {
	manifest := gdpr.patched([
		fixtures.set("/spec/datasets/-", {"id": "tags", "classifications": ["eu_personal"]}),
		fixtures.set("/spec/stages/-", {
			"id": "tag", "type": "preprocessing", "location": "us-cloud",
			"inputs": ["base"], "outputs": ["tags"],
		}),
		fixtures.set("/spec/stages/3/inputs", ["model", "tags"]),
		fixtures.set("/spec/transfers/0/datasets", ["features", "base"]),
	])
	[f] := [f | some f in rule.findings with input as manifest; f.stage == "serve"]
	f.status == "fail"
	f.message[7] == {"list": ["tags"]}
	fixtures.statuses(fixtures.for_stage(rule.findings, "train")) == {"pass"} with input as manifest
}
