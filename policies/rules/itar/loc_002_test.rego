package tdcheck.rules.itar_loc_002_test

import data.tdcheck.rules.itar_loc_002 as rule
import data.tdcheck.test.fixtures
import data.tdcheck.test.fixtures_federal as fed
import rego.v1

vault_in(country) := fed.export([fixtures.set("/spec/locations/2/country", country)])

test_not_on_the_list_passes if {
	[f] := [f | some f in rule.findings; f.stage == "store"] with input as fed.export_pipeline
	f.status == "pass"
	f.path == ["spec", "locations", 2, "country"]
	fixtures.statuses(rule.findings) == {"pass"} with input as fed.export_pipeline
}

test_no_carve_out_in_a_126_1_country if {
	[f] := [f | some f in rule.findings; f.stage == "store"] with input as vault_in("CN")
	f.status == "fail"
	f.path == ["spec", "locations", 2, "country"]
	f.message[3] == " is on the 22 CFR 126.1 list (as of "
	f.message[4] == data.tdcheck.reference.itar_126_1.as_of
}

test_hong_kong_is_china if {
	fed.stage_status(rule.findings, "store") == "fail" with input as vault_in("HK")
}

test_russia_and_nicaragua_are_listed if {
	every country in ["RU", "NI", "VE", "SY"] {
		fed.stage_status(rule.findings, "store") == "fail" with input as vault_in(country)
	}
}

test_cambodia_was_removed if {
	fed.stage_status(rule.findings, "store") == "pass" with input as vault_in("KH")
}

vault_in_cyprus_on(date) := fed.export([
	fixtures.set("/spec/locations/2/country", "CY"),
	fixtures.set("/_tdcheck/as_of", date),
])

# 22 CFR 126.1(r) suspends Cyprus's proscribed status 2025-10-01..2026-09-30: off the list
# inside the suspension, on it before and after (until a renewal is recorded).
test_cyprus_is_off_the_list_only_inside_its_suspension if {
	every date in ["2025-10-01", "2026-06-01", "2026-09-30"] {
		fed.stage_status(rule.findings, "store") == "pass" with input as vault_in_cyprus_on(date)
	}
	every date in ["2025-09-30", "2026-10-01", "2027-06-01"] {
		fed.stage_status(rule.findings, "store") == "fail" with input as vault_in_cyprus_on(date)
	}
}

test_a_suspended_entry_says_so if {
	[f] := [f | some f in rule.findings; f.stage == "store"] with input as vault_in_cyprus_on("2026-06-01")
	f.status == "pass"
	"2026-09-30" in f.message[6]
	"2026-06-01" in f.message[6]
}

test_the_list_is_reference_data if {
	list := {"as_of": "2030-01-01", "source": "test", "countries": ["DE"]}
	[f] := [f | some f in rule.findings; f.stage == "store"] with input as fed.export_pipeline
		with data.tdcheck.reference.itar_126_1 as list
	f.status == "fail"
	"2030-01-01" in f.message
}

test_reference_list_is_well_formed if {
	list := data.tdcheck.reference.itar_126_1
	regex.match(`^\d{4}-\d{2}-\d{2}$`, list.as_of)
	every entry in list.countries {
		regex.match(`^[A-Z]{2}$`, entry_country(entry))
	}
	every entry in [e | some e in list.countries; is_object(e)] {
		every s in entry.suspended {
			s.from < s.until
			s.source != ""
		}
	}
	not "KH" in list.countries
	not "US" in list.countries
}

test_not_applicable_without_itar if {
	manifest := fed.export([
		fixtures.set("/spec/datasets/0/classifications", ["internal"]),
		fixtures.set("/spec/locations/2/country", "CN"),
	])
	count(rule.findings) == 0 with input as manifest
}

entry_country(entry) := entry if is_string(entry)

entry_country(entry) := entry.country if is_object(entry)
