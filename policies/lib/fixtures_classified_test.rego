# Shared inputs for the classified and air-gap rule tests: a small compliant manifest that each
# test bends with a JSON patch (fixtures.set from the HIPAA fixtures, remove below).
# Test files are never loaded for evaluation.
package tdcheck.test.fixtures_classified

import rego.v1

# SECRET intelligence ingested in an air-gapped TOP SECRET enclave, moved by an approved
# cross-domain solution to an IL6 government cloud on a classified network, trained and
# evaluated there.
pipeline := {
	"apiVersion": "tdcheck/v1",
	"kind": "TrainingDeployment",
	"metadata": {"name": "unit-classified"},
	"spec": {
		"datasets": [
			{"id": "intel", "classifications": ["internal"], "classification_level": "secret"},
			{"id": "model", "classifications": ["internal"]},
			{"id": "scores", "classifications": ["internal"]},
		],
		"locations": [
			{
				"id": "enclave", "kind": "on_premises", "country": "US", "air_gapped": true,
				"classified_accreditation": "top_secret",
				"personnel": {"us_persons_only": true, "us_citizens_only": true, "clearance": "top_secret"},
			},
			{
				"id": "il6", "kind": "government_cloud", "country": "US", "tenancy": "dedicated_government",
				"dod_impact_level": "il6", "network": "classified", "classified_accreditation": "secret",
				"personnel": {"us_persons_only": true, "us_citizens_only": true, "clearance": "secret"},
			},
		],
		"stages": [
			{"id": "ingest", "type": "ingestion", "location": "enclave", "outputs": ["intel"]},
			{"id": "train", "type": "training", "location": "il6", "inputs": ["intel"], "outputs": ["model"]},
			{"id": "eval", "type": "evaluation", "location": "il6", "inputs": ["model"], "outputs": ["scores"]},
		],
		"transfers": [{
			"id": "enclave-to-il6", "from": "enclave", "to": "il6", "datasets": ["intel"],
			"channel": "cross_domain_solution", "encryption_in_transit": "tls_fips", "approval_ref": "CDS-2026-014",
		}],
	},
}

patched(patches) := json.patch(pipeline, patches)

remove(path) := {"op": "remove", "path": path}

# The findings of a rule for one location, or one transfer (by from and to).
for_location(findings, loc_id) := {f | some f in findings; f.location == loc_id}

for_transfer(findings, from, to) := {f | some f in findings; f.transfer.from == from; f.transfer.to == to}
