# Shared inputs for the advisory rule tests: a small compliant manifest that each
# test bends with a JSON patch (fixtures.set from the HIPAA fixtures, remove below).
# Test files are never loaded for evaluation.
package tdcheck.test.fixtures_advisory

import rego.v1

# A 70B pretraining run on a well-equipped, staffed on-premises cluster, fine-tuned on
# reserved cloud capacity.
pipeline := {
	"apiVersion": "tdcheck/v1",
	"kind": "TrainingDeployment",
	"metadata": {"name": "unit-advisory"},
	"spec": {
		"workload": "pretraining",
		"model": {"name": "lm-70b", "parameters_b": 70, "est_gpu_hours": 6400000},
		"datasets": [
			{"id": "corpus", "classifications": ["public"]},
			{"id": "tokens", "classifications": ["public"]},
			{"id": "base", "classifications": ["internal"]},
			{"id": "tuned", "classifications": ["internal"]},
		],
		"locations": [
			{
				"id": "dc", "kind": "on_premises", "country": "US", "accelerators": 2048,
				"expected_utilization_pct": 80, "infra_staff_fte": 6,
			},
			{
				"id": "cloud", "kind": "public_cloud", "country": "US", "pricing": "reserved",
				"expected_utilization_pct": 75,
			},
		],
		"stages": [
			{"id": "prep", "type": "preprocessing", "location": "dc", "inputs": ["corpus"], "outputs": ["tokens"]},
			{"id": "train", "type": "training", "location": "dc", "inputs": ["tokens"], "outputs": ["base"]},
			{"id": "tune", "type": "fine_tuning", "location": "cloud", "inputs": ["base"], "outputs": ["tuned"]},
		],
		"transfers": [{
			"from": "dc", "to": "cloud", "datasets": ["base"],
			"channel": "private_link", "encryption_in_transit": "tls",
		}],
	},
}

patched(patches) := json.patch(pipeline, patches)

remove(path) := {"op": "remove", "path": path}

# The findings of a rule for one location, or one transfer (by from and to).
for_location(findings, loc_id) := {f | some f in findings; f.location == loc_id}

for_transfer(findings, from, to) := {f | some f in findings; f.transfer.from == from; f.transfer.to == to}
