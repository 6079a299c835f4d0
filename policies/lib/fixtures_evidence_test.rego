# Shared inputs for the evidence rule tests: a PHI pipeline whose cloud location is bound
# to a bucket, a SageMaker domain and the bucket's logging, all in us-gov-west-1, with
# a provider catalogue of two regions.
package tdcheck.test.fixtures_evidence

import rego.v1

bucket := {
	"bound": "aws_s3_bucket.lake", "found": true, "address": "aws_s3_bucket.lake",
	"type": "aws_s3_bucket", "file": "infra/main.tf", "line": 12, "provider": "aws",
	"storage": true, "region": "us-gov-west-1", "encryption": "customer_managed",
	"access_logging": true, "public": false, "unresolved": [],
	"path": ["spec", "locations", 0, "evidence", 0, "resources", 0],
}

domain := {
	"bound": "aws_sagemaker_domain.studio", "found": true, "address": "aws_sagemaker_domain.studio",
	"type": "aws_sagemaker_domain", "file": "infra/ml.tf", "line": 3, "provider": "aws",
	"storage": true, "region": "us-gov-west-1", "encryption": "customer_managed",
	"unresolved": [], "path": ["spec", "locations", 0, "evidence", 0, "resources", 1],
}

missing := {
	"bound": "aws_s3_bucket.gone", "found": false, "source": "infra",
	"path": ["spec", "locations", 0, "evidence", 0, "resources", 2],
}

catalogue := {"aws": {"regions": {
	"us-gov-west-1": {"country": "US", "boundary": "govcloud-us", "kind": "government_cloud"},
	"eu-central-1": {"country": "DE", "boundary": "commercial-eu", "kind": "public_cloud"},
}}}

manifest(resources) := {
	"apiVersion": "tdcheck/v1",
	"kind": "TrainingDeployment",
	"metadata": {"name": "evidence-unit"},
	"spec": {
		"datasets": [{"id": "notes", "classifications": ["phi"]}, {"id": "model", "classifications": ["internal"]}],
		"locations": [{
			"id": "cloud", "kind": "government_cloud", "country": "US", "provider": "aws",
			"region": "us-gov-west-1", "encryption_at_rest": "customer_managed", "audit_logging": true,
			"evidence": [{"terraform": "infra", "resources": [r.bound | some r in resources]}],
		}],
		"stages": [{"id": "train", "type": "training", "location": "cloud", "inputs": ["notes"], "outputs": ["model"]}],
	},
	"_tdcheck": {"as_of": "2026-12-01", "evidence": {"cloud": resources}},
}

with_location(resources, patch) := json.patch(manifest(resources), [op |
	some k, v in patch
	op := {"op": "add", "path": concat("/", ["/spec/locations/0", k]), "value": v}
])

statuses(findings) := {f.status | some f in findings}
