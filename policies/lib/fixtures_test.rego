# Shared inputs for the rule unit tests: a small, compliant PHI pipeline that each test
# bends with a JSON patch. Test files are never loaded for evaluation.
package tdcheck.test.fixtures

import rego.v1

phi_pipeline := {
	"apiVersion": "tdcheck/v1",
	"kind": "TrainingDeployment",
	"metadata": {"name": "unit"},
	"spec": {
		"datasets": [
			{"id": "records", "classifications": ["phi"]},
			{"id": "features", "classifications": ["internal"]},
			{"id": "model", "classifications": ["internal"]},
		],
		"locations": [
			{
				"id": "dc", "kind": "on_premises", "country": "US",
				"encryption_at_rest": "customer_managed", "audit_logging": true,
				"access_control": {"unique_user_ids": true, "mfa": true},
			},
			{
				"id": "cloud", "kind": "public_cloud", "country": "US", "hipaa_baa": true,
				"encryption_at_rest": "provider_managed", "audit_logging": true,
				"access_control": {"unique_user_ids": true, "mfa": true},
			},
		],
		"stages": [
			{"id": "ingest", "type": "ingestion", "location": "dc", "outputs": ["records"]},
			{"id": "prep", "type": "preprocessing", "location": "dc", "inputs": ["records"], "outputs": ["features"]},
			{"id": "train", "type": "training", "location": "cloud", "inputs": ["features"], "outputs": ["model"]},
		],
		"transfers": [{
			"from": "dc", "to": "cloud", "datasets": ["features"],
			"channel": "private_link", "encryption_in_transit": "tls",
		}],
	},
}

patched(patches) := json.patch(phi_pipeline, patches)

set(path, value) := {"op": "add", "path": path, "value": value}

# The findings of a rule for one stage, or one movement's dataset.
for_stage(findings, stage_id) := {f | some f in findings; f.stage == stage_id}

statuses(findings) := {f.status | some f in findings}
