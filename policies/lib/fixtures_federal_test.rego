# Shared inputs for the FedRAMP, DoD SRG, CUI, ITAR and EAR rule tests: two small,
# compliant pipelines that each test bends with a JSON patch (fixtures.set). Test files
# are never loaded for evaluation.
package tdcheck.test.fixtures_federal

import rego.v1

# CUI with FIPS 199 impact moderate and DoD IL4 is prepared on premises and trained in a
# FedRAMP High, IL5 government cloud. Lineage carries impact, IL and CUI to features and model.
federal_pipeline := {
	"apiVersion": "tdcheck/v1",
	"kind": "TrainingDeployment",
	"metadata": {"name": "unit-federal"},
	"spec": {
		"datasets": [
			{"id": "mission", "classifications": ["cui"], "fips199_impact": "moderate", "dod_impact_level": "il4"},
			{"id": "features", "classifications": ["internal"]},
			{"id": "model", "classifications": ["internal"]},
		],
		"locations": [
			{
				"id": "dc", "kind": "on_premises", "country": "US",
				"encryption_at_rest": "customer_managed", "fips_140": "140-3",
			},
			{
				"id": "gov", "kind": "government_cloud", "country": "US",
				"fedramp": {"level": "high", "status": "authorized"},
				"dod_impact_level": "il5", "tenancy": "dedicated_government",
				"personnel": {"us_persons_only": true, "us_citizens_only": true, "clearance": "secret"},
				"encryption_at_rest": "customer_managed", "fips_140": "140-3",
			},
		],
		"stages": [
			{"id": "ingest", "type": "ingestion", "location": "dc", "outputs": ["mission"]},
			{"id": "prep", "type": "preprocessing", "location": "dc", "inputs": ["mission"], "outputs": ["features"]},
			{"id": "train", "type": "training", "location": "gov", "inputs": ["features"], "outputs": ["model"]},
		],
		"transfers": [{
			"from": "dc", "to": "gov", "datasets": ["features"],
			"channel": "private_link", "encryption_in_transit": "tls_fips",
		}],
	},
	"_tdcheck": {"as_of": "2026-11-28"},
}

# ITAR drawings are prepared on premises and trained in a US cloud run by US persons; the
# model is checkpointed, encrypted client side with FIPS 140-3 modules, in a German vault
# (the 22 CFR 120.54(a)(5) carve-out) and sent there end to end.
export_pipeline := {
	"apiVersion": "tdcheck/v1",
	"kind": "TrainingDeployment",
	"metadata": {"name": "unit-export"},
	"spec": {
		"datasets": [
			{"id": "drawings", "classifications": ["itar"]},
			{"id": "features", "classifications": ["internal"]},
			{"id": "model", "classifications": ["internal"]},
			{"id": "checkpoints", "classifications": ["internal"]},
		],
		"locations": [
			{
				"id": "dc", "kind": "on_premises", "country": "US",
				"personnel": {"us_persons_only": true},
			},
			{
				"id": "cloud", "kind": "public_cloud", "country": "US",
				"personnel": {"us_persons_only": true}, "encryption_at_rest": "customer_managed",
			},
			{
				"id": "vault", "kind": "public_cloud", "country": "DE",
				"encryption_at_rest": "client_side", "fips_140": "140-3",
			},
		],
		"stages": [
			{"id": "ingest", "type": "ingestion", "location": "dc", "outputs": ["drawings"]},
			{"id": "prep", "type": "preprocessing", "location": "dc", "inputs": ["drawings"], "outputs": ["features"]},
			{"id": "train", "type": "training", "location": "cloud", "inputs": ["features"], "outputs": ["model"]},
			{"id": "store", "type": "checkpointing", "location": "vault", "inputs": ["model"], "outputs": ["checkpoints"]},
		],
		"transfers": [
			{
				"from": "dc", "to": "cloud", "datasets": ["features"],
				"channel": "private_link", "encryption_in_transit": "tls",
			},
			{
				"from": "cloud", "to": "vault", "datasets": ["model"],
				"channel": "internet", "encryption_in_transit": "end_to_end",
			},
		],
	},
	"_tdcheck": {"as_of": "2026-11-28"},
}

federal(patches) := json.patch(federal_pipeline, patches)

export(patches) := json.patch(export_pipeline, patches)

remove(path) := {"op": "remove", "path": path}

# The one finding of a rule for a stage.
stage_status(findings, stage_id) := f.status if {
	[f] := [f | some f in findings; f.stage == stage_id]
}

# The one finding of a movement rule for a dataset moving from -> to.
movement_finding(findings, from, to, dataset) := f if {
	[f] := [f |
		some f in findings
		f.transfer.from == from
		f.transfer.to == to
		f.transfer.datasets == [dataset]
	]
}
