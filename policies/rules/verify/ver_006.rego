# METADATA
# title: The claims of a location that names a provider can be checked against the catalogue
# description: >-
#   A location that names a provider has claims (country, FedRAMP, DoD impact level,
#   services) the provider catalogue can confirm. Where the provider, the region or a
#   listed service is not in the catalogue, where the catalogue records no FedRAMP or
#   DoD authorisation for the region's boundary, or where its entry is older than
#   org.reference_max_age_days at --as-of, the claims stay unverified: every finding
#   that rests on them is marked `asserted`.
# scope: package
# custom:
#   id: VER-006
#   framework: verify
#   severity: advisory
#   subject: location
#   verifies: []
#   citation: data.tdcheck.reference.providers (policies/reference/data.json)
#   remediation: >-
#     Use the provider's own id and region id (`tdcheck providers`), or add the provider,
#     region, service or authorisation with its public sources to a --data file (see the
#     providers documentation); refresh the catalogue when it is older than allowed.
package tdcheck.rules.verify_ver_006

import data.tdcheck.lib
import rego.v1

# Per location naming a provider: why its claims cannot be checked (empty: they can).
gaps := {id: separated |
	some id in object.keys(lib.provider_locations)
	loc := lib.provider_locations[id]
	reasons := [r | some part in [provider_gaps(loc), region_gaps(loc), service_gaps[id], claim_gaps[id]]; some r in part]
	separated := [[separator(i), reasons[i]] | some i in numbers.range(0, count(reasons) - 1)]
}

separator(0) := ""

separator(i) := "; " if i > 0

findings := [lib.location_finding("VER-006", id, coverage_verdict(lib.provider_locations[id], gaps[id])) |
	some id in object.keys(gaps)
]

provider_gaps(loc) := [["provider ", loc.provider, " is not in the catalogue"]] if {
	not lib.provider_catalogue[loc.provider]
} else := [[
	"the catalogue entry for ", loc.provider, " was read ", lib.provider_catalogue[loc.provider].as_of,
	", more than ", lib.reference_max_age_days, " days before ", lib.as_of,
]] if {
	lib.stale_catalogue[loc.provider]
} else := []

region_gaps(loc) := [] if {
	not lib.provider_catalogue[loc.provider]
} else := [["the location names no region"]] if {
	not loc.region
} else := [["region ", loc.region, " of ", loc.provider, " is not in the catalogue"]] if {
	not lib.provider_catalogue[loc.provider].regions[loc.region]
} else := []

service_gaps := {id: gap |
	some id in object.keys(lib.provider_locations)
	loc := lib.provider_locations[id]
	catalogued := object.get(lib.provider_catalogue, [loc.provider, "services"], {})
	unknown := [s | some s in object.get(loc, "services", []); not catalogued[s]]
	gap := reason(count(unknown) > 0, ["services not in the catalogue: ", lib.list(unknown)])
}

uncatalogued := {id: [] | some id in object.keys(lib.provider_locations); not lib.catalogued_locations[id]}

claim_gaps := object.union(recorded_claim_gaps, uncatalogued)

recorded_claim_gaps := {id: array.concat(fedramp_gap, dod_gap) |
	some id in object.keys(lib.catalogued_locations)
	facts := lib.catalogued_locations[id]
	fedramp_gap := reason(
		unrecorded(facts.loc, facts.boundary, "fedramp", "fedramp"),
		["the catalogue records no FedRAMP authorisation for boundary ", facts.boundary_id],
	)
	dod_gap := reason(
		unrecorded(facts.loc, facts.boundary, "dod_impact_level", "dod_impact_levels"),
		["the catalogue records no DoD impact level for boundary ", facts.boundary_id],
	)
}

# true when the location claims what the catalogue does not record for the boundary.
unrecorded(loc, boundary, claim, fact) if {
	loc[claim]
	not boundary[fact]
} else := false

reason(true, message) := [message]

reason(false, _) := []

coverage_verdict(loc, reasons) := {
	"failed": true,
	"message": ["claims at ", loc.id, " could not be verified: ", reasons],
	"path": lib.location_path(loc.id, "provider"),
} if {
	count(reasons) > 0
} else := {
	"failed": false,
	"message": [loc.provider, " region ", loc.region, " and the location's services are in the catalogue"],
	"path": lib.location_path(loc.id, "provider"),
}
