# Provider catalogue - what the public record says about a location's provider and region
# data.tdcheck.reference.providers (policies/reference/data.json, extended with --data)
# holds cloud regions, the authorisation boundary each belongs to and the training
# services in audit scope, each with its sources. The VER-* rules compare a location's
# claims with it; a fact the catalogue does not record leaves the claim unverifiable.
package tdcheck.lib

import rego.v1

default provider_catalogue := {}

provider_catalogue := data.tdcheck.reference.providers

# Locations that name a provider, by id.
provider_locations := {id: locations[id] | some id in object.keys(locations); locations[id].provider}

# Locations whose provider and region are both in a catalogue entry younger than
# org.reference_max_age_days: the facts to compare. A stale entry verifies nothing.
catalogued_locations := {id: facts |
	some id in object.keys(provider_locations)
	loc := provider_locations[id]
	entry := provider_catalogue[loc.provider]
	not stale_catalogue[loc.provider]
	region := entry.regions[loc.region]
	boundary := object.get(entry, ["boundaries", region.boundary], {})
	facts := {
		"loc": loc,
		"provider": loc.provider,
		"region_id": loc.region,
		"region": region,
		"boundary_id": region.boundary,
		"boundary": boundary,
		"as_of": entry.as_of,
		"region_sources": list(object.get(entry, "region_sources", [])),
		"boundary_sources": list(object.get(boundary, "sources", [])),
		"label": [loc.provider, " region ", loc.region],
		"dod_levels": list(object.get(boundary, "dod_impact_levels", [])),
	}
}

fedramp_claim_rank := {"li_saas": 1, "low": 2, "moderate": 3, "high": 4}

fedramp_status_rank := {"in_process": 1, "ready": 2, "authorized": 3}

# DoD SRG impact levels are cumulative: a provisional authorisation at a level covers
# the information of the levels below it.
dod_level_rank := {"il2": 2, "il4": 4, "il5": 5, "il6": 6}

# The highest DoD level a list of levels reaches (0 for none or unknown levels).
highest_dod_rank(levels) := max(array.concat([0], [r | some l in levels; r := object.get(dod_level_rank, l, 0)]))

# Day number of a YYYY-MM-DD date (Julian day), for ages in days: time.parse_ns is not
# portable to the embedded engine, and a date string carries no escapes.
day_number(date) := n if {
	y := to_number(substring(date, 0, 4))
	m := to_number(substring(date, 5, 2))
	d := to_number(substring(date, 8, 2))
	a := floor((14 - m) / 12)
	yy := (y + 4800) - a
	mm := (m + (12 * a)) - 3
	n := (((((d + floor(((153 * mm) + 2) / 5)) + (365 * yy)) + floor(yy / 4)) - floor(yy / 100)) + floor(yy / 400)) - 32045
}

# How old the catalogue may be before its facts stop counting as verified (--as-of).
reference_max_age_days := object.get(org, "reference_max_age_days", 365)

# Providers whose catalogue entry is older than reference_max_age_days at --as-of.
stale_catalogue := {p: age |
	some p in object.keys(provider_catalogue)
	age := day_number(as_of) - day_number(provider_catalogue[p].as_of)
	age > reference_max_age_days
}
