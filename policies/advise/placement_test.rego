package tdcheck.rules.advise_test

import data.tdcheck.rules.advise
import data.tdcheck.test.fixtures
import rego.v1

# The checker asks for advice with this flag; `check` never sets it.
asked(manifest) := object.union(manifest, {"_tdcheck": {"as_of": "2026-06-01", "advise": true}})

facts(kind) := {f | some f in advise.findings; f.advise == kind}

placement(stage_id) := [f | some f in advise.findings; f.advise == "placement"; f.stage == stage_id][0]

test_silent_unless_asked if {
	count(advise.findings) == 0 with input as fixtures.phi_pipeline
}

test_silent_for_check_input if {
	manifest := object.union(fixtures.phi_pipeline, {"_tdcheck": {"as_of": "2026-06-01"}})
	count(advise.findings) == 0 with input as manifest
}

test_placement_movements_of_each_stage if {
	# prep runs at dc and writes features, which train reads at cloud.
	p := placement("prep") with input as asked(fixtures.phi_pipeline)
	p.location == "dc"
	p.movements == [{"from": "dc", "to": "cloud", "datasets": ["features"]}]
	t := placement("train") with input as asked(fixtures.phi_pipeline)
	t.movements == [{"from": "dc", "to": "cloud", "datasets": ["features"]}]
	i := placement("ingest") with input as asked(fixtures.phi_pipeline)
	i.movements == []
}

test_moved_stage_implies_its_own_movements if {
	# prep moved to the cloud: records now arrive there (undeclared), features stay put.
	manifest := fixtures.patched([fixtures.set("/spec/stages/1/location", "cloud")])
	p := placement("prep") with input as asked(manifest)
	p.location == "cloud"
	p.movements == [{"from": "dc", "to": "cloud", "datasets": ["records"]}]
}

test_location_categories if {
	manifest := fixtures.patched([
		fixtures.set("/spec/locations/-", {"id": "vault", "kind": "on_premises", "country": "US", "air_gapped": true}),
		fixtures.set("/spec/locations/-", {"id": "mine", "kind": "private_cloud", "operator": "self", "country": "US"}),
	])
	categories := {f.location: f.category | some f in facts("location")} with input as asked(manifest)
	categories == {"dc": "on_premises", "cloud": "cloud", "vault": "air_gapped", "mine": "on_premises"}
}

test_architecture_hybrid if {
	[a] := [f | some f in facts("architecture")] with input as asked(fixtures.phi_pipeline)
	a.architecture == "hybrid"
	a.locations == ["cloud", "dc"]
	a.thresholds.breakeven_utilization_pct == 65
}

test_architecture_on_premises if {
	manifest := fixtures.patched([fixtures.set("/spec/stages/2/location", "dc")])
	[a] := [f | some f in facts("architecture")] with input as asked(manifest)
	a.architecture == "on_premises"
}

test_architecture_cloud if {
	manifest := fixtures.patched([
		fixtures.set("/spec/stages/0/location", "cloud"),
		fixtures.set("/spec/stages/1/location", "cloud"),
	])
	[a] := [f | some f in facts("architecture")] with input as asked(manifest)
	a.architecture == "cloud"
}

test_architecture_air_gapped if {
	manifest := fixtures.patched([
		fixtures.set("/spec/locations/0/air_gapped", true),
		fixtures.set("/spec/stages/2/location", "dc"),
	])
	[a] := [f | some f in facts("architecture")] with input as asked(manifest)
	a.architecture == "air_gapped"
}
