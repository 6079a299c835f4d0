# METADATA
# title: A cloud location's DoD impact level is held by its region's boundary
# description: >-
#   DISA grants DoD Cloud Computing SRG provisional authorisations per boundary and
#   impact level. Where the catalogue records the boundary's levels, the location's
#   `dod_impact_level` must be covered by one of them (a level covers the levels below
#   it). Where it records none, the claim is unverifiable (VER-006), not contradicted.
# scope: package
# custom:
#   id: VER-003
#   framework: verify
#   severity: error
#   subject: location
#   verifies: [dod_impact_level]
#   citation: DoD Cloud Computing SRG; DISA provisional authorisations; providers' compliance scope pages
#   remediation: >-
#     Claim a level the boundary holds, or move the location to a region whose boundary
#     holds the impact level the data needs (for example IL5 in Azure Government or AWS
#     GovCloud (US), not a commercial region).
package tdcheck.rules.verify_ver_003

import data.tdcheck.lib
import rego.v1

findings := [lib.location_finding("VER-003", id, claim_verdict(facts)) |
	some id in object.keys(lib.catalogued_locations)
	facts := lib.catalogued_locations[id]
	facts.loc.dod_impact_level
	facts.boundary.dod_impact_levels
]

claim_verdict(facts) := {
	"failed": true,
	"message": [
		facts.label, " (boundary ", facts.boundary_id, ") holds DoD ", facts.dod_levels,
		"; the location claims ", facts.loc.dod_impact_level,
		" (", facts.boundary_sources, ", read ", facts.as_of, ")",
	],
	"path": lib.location_path(facts.loc.id, "dod_impact_level"),
} if {
	object.get(lib.dod_level_rank, facts.loc.dod_impact_level, 0) > lib.highest_dod_rank(facts.boundary.dod_impact_levels)
} else := {
	"failed": false,
	"message": [
		facts.label, " (boundary ", facts.boundary_id, ") holds DoD ", facts.dod_levels,
		" (", facts.boundary_sources, ", read ", facts.as_of, ")",
	],
	"path": lib.location_path(facts.loc.id, "dod_impact_level"),
}
