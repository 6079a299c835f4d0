package tdcheck.rules.cui_004_test

import data.tdcheck.rules.cui_004 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_federal as fed
import rego.v1

# features (internal as declared, CUI by lineage) moves dc -> gov over tls_fips.
test_tls_fips_passes if {
	[f] := rule.findings with input as fed.federal_pipeline
	f.status == "pass"
	f.subject == "movement"
	f.transfer == {"from": "dc", "to": "gov", "datasets": ["features"]}
	f.path == ["spec", "transfers", 0, "datasets"]
}

test_end_to_end_passes if {
	manifest := fed.federal([fixtures.set("/spec/transfers/0/encryption_in_transit", "end_to_end")])
	fixtures.statuses(rule.findings) == {"pass"} with input as manifest
}

# The gap a compliance engineer found: CUI over plain TLS passed every rule.
test_plain_tls_and_none_fail_at_the_encryption if {
	every mode in ["tls", "none"] {
		manifest := fed.federal([fixtures.set("/spec/transfers/0/encryption_in_transit", mode)])
		[f] := rule.findings with input as manifest

		# regal ignore:non-loop-expression
		f.status == "fail"

		# regal ignore:non-loop-expression
		f.path == ["spec", "transfers", 0, "encryption_in_transit"]
		f.message[5] == {"list": [mode]}
	}
}

test_absent_encryption_is_none if {
	manifest := fed.federal([fed.remove("/spec/transfers/0/encryption_in_transit")])
	fixtures.statuses(rule.findings) == {"fail"} with input as manifest
}

test_approved_removable_media_is_exempt if {
	manifest := fed.federal([
		fixtures.set("/spec/transfers/0/channel", "removable_media"),
		fixtures.set("/spec/transfers/0/encryption_in_transit", "none"),
		fixtures.set("/spec/transfers/0/approval_ref", "MEDIA-PROC-7"),
	])
	fixtures.statuses(rule.findings) == {"pass"} with input as manifest
}

test_media_without_approval_and_a_cross_domain_solution_are_not_exempt if {
	media := fed.federal([
		fixtures.set("/spec/transfers/0/channel", "removable_media"),
		fixtures.set("/spec/transfers/0/encryption_in_transit", "tls"),
	])
	fixtures.statuses(rule.findings) == {"fail"} with input as media
	cds := fed.federal([
		fixtures.set("/spec/transfers/0/channel", "cross_domain_solution"),
		fixtures.set("/spec/transfers/0/encryption_in_transit", "tls"),
		fixtures.set("/spec/transfers/0/approval_ref", "CDS-3"),
	])
	fixtures.statuses(rule.findings) == {"fail"} with input as cds
}

test_undeclared_movement_fails_at_the_reading_stage if {
	manifest := fed.federal([fixtures.set("/spec/transfers", [])])
	[f] := rule.findings with input as manifest
	f.status == "fail"
	f.path == ["spec", "stages", 2, "inputs", 0]
}

test_not_applicable_without_cui if {
	manifest := fed.federal([
		fixtures.set("/spec/datasets/0/classifications", ["pii"]),
		fixtures.set("/spec/transfers/0/encryption_in_transit", "none"),
	])
	count(rule.findings) == 0 with input as manifest
}
