package tdcheck.rules.ear_loc_002_test

import data.tdcheck.rules.ear_loc_002 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_federal as fed
import rego.v1

# The export pipeline with an EAR-controlled ECCN instead of ITAR data; the vault (client
# side encryption, FIPS 140-3: the carve-out of 734.18(a)(5)) moved to another country.
vault_in(country, as_of) := fed.export([
	fixtures.set("/spec/datasets/0/classifications", ["internal"]),
	fixtures.set("/spec/datasets/0/eccn", "5D002"),
	fixtures.set("/spec/locations/2/country", country),
	fixtures.set("/_tdcheck/as_of", as_of),
])

test_outside_d5_and_russia_passes if {
	manifest := vault_in("DE", "2026-11-28")
	fixtures.statuses(rule.findings) == {"pass"} with input as manifest
	count(rule.findings) == 4 with input as manifest
	[f] := [f | some f in rule.findings; f.stage == "store"] with input as manifest
	f.path == ["spec", "locations", 2, "country"]
}

test_storage_in_d5_fails_despite_the_carve_out if {
	[f] := [f | some f in rule.findings; f.stage == "store"] with input as vault_in("CN", "2026-11-28")
	f.status == "fail"
	f.path == ["spec", "locations", 2, "country"]
	f.message[3] == " is in Country Group D:5 (as of "
	f.message[4] == data.tdcheck.reference.ear_d5.as_of
}

test_russia_fails_even_if_the_list_omits_it if {
	manifest := vault_in("RU", "2026-11-28")
	fed.stage_status(rule.findings, "store") == "fail" with input as manifest
		with data.tdcheck.reference.ear_d5 as {"as_of": "2030-01-01", "source": "test", "countries": []}
}

test_cambodia_was_removed_and_hong_kong_is_china if {
	fed.stage_status(rule.findings, "store") == "pass" with input as vault_in("KH", "2026-11-28")
	fed.stage_status(rule.findings, "store") == "fail" with input as vault_in("HK", "2026-11-28")
}

test_cyprus_follows_its_dated_suspension if {
	fed.stage_status(rule.findings, "store") == "pass" with input as vault_in("CY", "2026-09-30")
	fed.stage_status(rule.findings, "store") == "fail" with input as vault_in("CY", "2026-10-01")
	[f] := [f | some f in rule.findings; f.stage == "store"] with input as vault_in("CY", "2026-01-15")
	"2026-01-15" in f.message[6]
}

test_ear99_and_no_ear_data_are_not_applicable if {
	manifest := fed.export([
		fixtures.set("/spec/datasets/0/classifications", ["internal"]),
		fixtures.set("/spec/datasets/0/eccn", "EAR99"),
		fixtures.set("/spec/locations/2/country", "CN"),
	])
	count(rule.findings) == 0 with input as manifest
}

test_reference_list_is_well_formed if {
	list := data.tdcheck.reference.ear_d5
	regex.match(`^\d{4}-\d{2}-\d{2}$`, list.as_of)
	codes := {c | some e in list.countries; c := entry_country(e)}
	every c in codes {
		regex.match(`^[A-Z]{2}$`, c)
	}
	not "US" in codes
	not "KH" in codes
}

entry_country(entry) := entry if is_string(entry)

entry_country(entry) := entry.country if is_object(entry)
