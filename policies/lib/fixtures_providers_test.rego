# Test data for the VER-* rules: a small provider catalogue and a one-location manifest.
package tdcheck.test.fixtures_providers

import rego.v1

catalogue := {"cloudco": {
	"name": "Cloud Co",
	"as_of": "2026-11-30",
	"region_sources": ["https://cloudco.example/regions"],
	"boundaries": {
		"commercial": {
			"fedramp": {"level": "moderate", "status": "authorized"},
			"dod_impact_levels": ["il2"],
			"sources": ["https://cloudco.example/fedramp"],
		},
		"gov": {
			"fedramp": {"level": "high", "status": "authorized"},
			"dod_impact_levels": ["il2", "il5"],
			"sources": ["https://cloudco.example/gov"],
		},
		"europe": {"sources": ["https://cloudco.example/regions"]},
	},
	"regions": {
		"us-1": {"country": "US", "boundary": "commercial", "kind": "public_cloud"},
		"gov-1": {"country": "US", "boundary": "gov", "kind": "government_cloud"},
		"de-1": {"country": "DE", "boundary": "europe", "kind": "public_cloud"},
	},
	"services": {
		"blob": {
			"scope": {"commercial": {"fedramp": "moderate", "dod": ["il2"]}, "gov": {"fedramp": "high", "dod": ["il2", "il5"]}},
			"sources": ["https://cloudco.example/blob-scope"],
		},
		"train": {
			"scope": {"commercial": {"fedramp": "moderate", "dod": ["il2"]}, "gov": {"fedramp": "high", "dod": ["il2"]}},
			"sources": ["https://cloudco.example/train-scope"],
		},
	},
}}

# A manifest with one location carrying `fields` and one stage there.
manifest(fields) := {
	"apiVersion": "tdcheck/v1",
	"kind": "TrainingDeployment",
	"metadata": {"name": "verify-test", "owner": "ml@example.org"},
	"spec": {
		"workload": "fine_tuning",
		"model": {"name": "m", "parameters_b": 1, "est_gpu_hours": 1},
		"datasets": [{"id": "d", "classifications": ["internal"]}],
		"locations": [object.union({"id": "cloud", "kind": "public_cloud", "country": "US"}, fields)],
		"stages": [{"id": "s", "type": "fine_tuning", "location": "cloud", "inputs": ["d"], "outputs": []}],
	},
	"_tdcheck": {"as_of": "2026-12-01"},
}
