package tdcheck.rules.itar_xfer_001_test

import data.tdcheck.rules.itar_xfer_001 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_federal as fed
import rego.v1

test_end_to_end_abroad_passes if {
	f := fed.movement_finding(rule.findings, "cloud", "vault", "model") with input as fed.export_pipeline
	f.status == "pass"
	f.path == ["spec", "transfers", 1, "datasets"]
	fixtures.statuses(rule.findings) == {"pass"} with input as fed.export_pipeline
}

test_tls_abroad_fails if {
	manifest := fed.export([fixtures.set("/spec/transfers/1/encryption_in_transit", "tls")])
	f := fed.movement_finding(rule.findings, "cloud", "vault", "model") with input as manifest
	f.status == "fail"
	f.path == ["spec", "transfers", 1, "encryption_in_transit"]
}

test_tls_fips_abroad_fails if {
	manifest := fed.export([fixtures.set("/spec/transfers/1/encryption_in_transit", "tls_fips")])
	f := fed.movement_finding(rule.findings, "cloud", "vault", "model") with input as manifest
	f.status == "fail"
}

test_default_encryption_abroad_fails if {
	manifest := fed.export([fed.remove("/spec/transfers/1/encryption_in_transit")])
	f := fed.movement_finding(rule.findings, "cloud", "vault", "model") with input as manifest
	f.status == "fail"
}

test_undeclared_movement_abroad_fails if {
	manifest := fed.export([fed.remove("/spec/transfers/1")])
	f := fed.movement_finding(rule.findings, "cloud", "vault", "model") with input as manifest
	f.status == "fail"
	f.path == ["spec", "stages", 3, "inputs", 0]
}

test_any_covering_transfer_without_end_to_end_fails if {
	manifest := fed.export([fixtures.set("/spec/transfers/2", {
		"id": "backup", "from": "cloud", "to": "vault", "datasets": ["model"],
		"channel": "vpn", "encryption_in_transit": "tls",
	})])
	f := fed.movement_finding(rule.findings, "cloud", "vault", "model") with input as manifest
	f.status == "fail"
	f.path == ["spec", "transfers", 2, "encryption_in_transit"]
}

test_movement_into_the_us_fails if {
	restore := {"id": "restore", "type": "evaluation", "location": "cloud", "inputs": ["checkpoints"]}
	manifest := fed.export([fixtures.set("/spec/stages/4", restore)])
	f := fed.movement_finding(rule.findings, "vault", "cloud", "checkpoints") with input as manifest
	f.status == "fail"
}

test_movement_inside_the_us_passes_over_tls if {
	f := fed.movement_finding(rule.findings, "dc", "cloud", "features") with input as fed.export_pipeline
	f.status == "pass"
	fed.export_pipeline.spec.transfers[0].encryption_in_transit == "tls"
}

test_us_territory_counts_as_us if {
	manifest := fed.export([
		fixtures.set("/spec/locations/2/country", "PR"),
		fixtures.set("/spec/transfers/1/encryption_in_transit", "tls"),
	])
	f := fed.movement_finding(rule.findings, "cloud", "vault", "model") with input as manifest
	f.status == "pass"
}

test_not_applicable_without_itar if {
	manifest := fed.export([
		fixtures.set("/spec/datasets/0/classifications", ["internal"]),
		fixtures.set("/spec/transfers/1/encryption_in_transit", "tls"),
	])
	count(rule.findings) == 0 with input as manifest
}
