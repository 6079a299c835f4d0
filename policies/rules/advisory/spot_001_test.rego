package tdcheck.rules.advisory_spot_001_test

import data.tdcheck.rules.advisory_spot_001 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_advisory as adv
import rego.v1

# A research run whose training stage is on the cloud location.
research(pricing) := adv.patched([
	fixtures.set("/spec/workload", "research"),
	fixtures.set("/spec/stages/2/type", "training"),
	fixtures.set("/spec/locations/1/pricing", pricing),
])

test_research_on_demand_training_is_advised if {
	[f] := [f | some f in rule.findings with input as research("on_demand")]
	f.status == "fail"
	f.location == "cloud"
	f.path == ["spec", "locations", 1, "pricing"]
}

test_research_spot_or_reserved_passes if {
	every pricing in ["spot", "reserved"] {
		fixtures.statuses(rule.findings) == {"pass"} with input as research(pricing)
	}
}

test_only_research_workloads if {
	manifest := adv.patched([
		fixtures.set("/spec/stages/2/type", "training"),
		fixtures.set("/spec/locations/1/pricing", "on_demand"),
	])
	count(rule.findings) == 0 with input as manifest
	no_workload := json.patch(manifest, [adv.remove("/spec/workload")])
	count(rule.findings) == 0 with input as no_workload
}

test_only_cloud_locations_running_training if {
	manifest := adv.patched([
		fixtures.set("/spec/workload", "research"),
		fixtures.set("/spec/locations/1/pricing", "on_demand"),
	])

	# the cloud location only fine-tunes; the on-premises one is not a cloud
	count(rule.findings) == 0 with input as manifest
}
