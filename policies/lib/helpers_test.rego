# The helper functions policies/README.md offers organisations' rules ("Writing a rule").
# Built-in rules read the keyed rules they wrap in their bodies, so these tests are what
# keeps the helpers answering like those rules.
package tdcheck.lib_test

import data.tdcheck.lib
import data.tdcheck.test.fixtures
import rego.v1

test_location_of_a_stage_has_the_defaults_applied if {
	loc := lib.location_of("train") with input as fixtures.phi_pipeline
	loc.id == "cloud"
	loc.tenancy == "multi_tenant"
	loc.personnel.clearance == "none"
}

test_location_of_an_unknown_stage_is_undefined if {
	not lib.location_of("nowhere") with input as fixtures.phi_pipeline
}

test_stages_handling_follows_lineage if {
	# features and model derive from the PHI records, so every stage handles PHI
	lib.stages_handling("phi") == {"ingest", "prep", "train"} with input as fixtures.phi_pipeline
}

test_stages_handling_a_class_no_stage_handles_is_empty if {
	lib.stages_handling("cui") == set() with input as fixtures.phi_pipeline
}

test_paths_point_into_the_manifest if {
	lib.location_path("cloud", "hipaa_baa") == ["spec", "locations", 1, "hipaa_baa"] with input as fixtures.phi_pipeline
	lib.stage_path("prep", "outputs") == ["spec", "stages", 1, "outputs"] with input as fixtures.phi_pipeline
}
