# Shared inputs for the GDPR rule tests: a small compliant manifest that each
# test bends with a JSON patch (fixtures.set from the HIPAA fixtures, remove below).
# Test files are never loaded for evaluation.
package tdcheck.test.fixtures_gdpr

import rego.v1

# EU customer data prepared on premises in Germany and trained on in a US public cloud,
# transferred under standard contractual clauses with a transfer impact assessment.
pipeline := {
	"apiVersion": "tdcheck/v1",
	"kind": "TrainingDeployment",
	"metadata": {"name": "unit-gdpr"},
	"spec": {
		"datasets": [
			{"id": "customers", "classifications": ["pii", "eu_personal"]},
			{"id": "features", "classifications": ["internal"]},
			{"id": "model", "classifications": ["internal"]},
			{"id": "base", "classifications": ["public"]},
		],
		"locations": [
			{"id": "dc-de", "kind": "on_premises", "country": "DE"},
			{"id": "us-cloud", "kind": "public_cloud", "country": "US"},
		],
		"stages": [
			{"id": "ingest", "type": "ingestion", "location": "dc-de", "outputs": ["customers"]},
			{"id": "prep", "type": "preprocessing", "location": "dc-de", "inputs": ["customers"], "outputs": ["features"]},
			{"id": "train", "type": "training", "location": "us-cloud", "inputs": ["features", "base"], "outputs": ["model"]},
			{"id": "serve", "type": "inference", "location": "us-cloud", "inputs": ["model"]},
		],
		"transfers": [{
			"id": "features-to-us", "from": "dc-de", "to": "us-cloud", "datasets": ["features"],
			"channel": "private_link", "encryption_in_transit": "tls",
			"gdpr_mechanism": "scc", "tia_ref": "TIA-2026-007",
		}],
	},
}

patched(patches) := json.patch(pipeline, patches)

remove(path) := {"op": "remove", "path": path}

# The findings of a rule for one location, or one transfer (by from and to).
for_location(findings, loc_id) := {f | some f in findings; f.location == loc_id}

for_transfer(findings, from, to) := {f | some f in findings; f.transfer.from == from; f.transfer.to == to}
