# Shared inputs for the hybrid rule tests: a compliant PII pipeline crossing two
# boundaries. Customer records stay on premises; features (internal, but PII by lineage)
# go to a cloud for training; the model (internal, PII by lineage) comes back for
# serving; a public vocabulary is read in the cloud without a transfer.
package tdcheck.test.fixtures_hybrid

import rego.v1

pii_pipeline := {
	"apiVersion": "tdcheck/v1",
	"kind": "TrainingDeployment",
	"metadata": {"name": "hybrid-unit"},
	"spec": {
		"datasets": [
			{"id": "customers", "classifications": ["pii"]},
			{"id": "features", "classifications": ["internal"]},
			{"id": "vocab", "classifications": ["public"]},
			{"id": "model", "classifications": ["internal"]},
		],
		"locations": [
			{"id": "dc", "kind": "on_premises", "country": "US", "network": "private"},
			{"id": "cloud", "kind": "public_cloud", "country": "US"},
		],
		"stages": [
			{"id": "ingest", "type": "ingestion", "location": "dc", "outputs": ["customers"]},
			{"id": "prep", "type": "preprocessing", "location": "dc", "inputs": ["customers"], "outputs": ["features"]},
			{"id": "tokens", "type": "ingestion", "location": "dc", "outputs": ["vocab"]},
			{"id": "train", "type": "training", "location": "cloud", "inputs": ["features", "vocab"], "outputs": ["model"]},
			{"id": "serve", "type": "inference", "location": "dc", "inputs": ["model"]},
		],
		"transfers": [
			{
				"id": "features-up", "from": "dc", "to": "cloud", "datasets": ["features"],
				"channel": "private_link", "encryption_in_transit": "tls",
			},
			{
				"id": "model-down", "from": "cloud", "to": "dc", "datasets": ["model"],
				"channel": "vpn", "encryption_in_transit": "tls_fips",
			},
		],
	},
}

patched(patches) := json.patch(pii_pipeline, patches)

set(path, value) := {"op": "add", "path": path, "value": value}

remove(path) := {"op": "remove", "path": path}

# The findings of a rule for the movement or transfer of one dataset.
for_dataset(findings, dataset) := {f | some f in findings; dataset in f.transfer.datasets}

statuses(findings) := {f.status | some f in findings}
