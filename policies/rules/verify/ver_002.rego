# METADATA
# title: A cloud location's FedRAMP claim is held by its region's boundary
# description: >-
#   A FedRAMP authorisation belongs to an authorisation boundary (AWS GovCloud (US),
#   Azure Government, a commercial US footprint...), not to a manifest. Where the
#   catalogue records the FedRAMP authorisation of the region's boundary, the location
#   may claim no higher level and no further status than the boundary holds. Where it
#   records none, the claim is unverifiable (VER-006), not contradicted.
# scope: package
# custom:
#   id: VER-002
#   framework: verify
#   severity: error
#   subject: location
#   verifies: [fedramp]
#   citation: FedRAMP Marketplace; providers' compliance scope pages (boundary sources)
#   remediation: >-
#     Claim the level the boundary holds, or move the location to a region whose
#     boundary holds the level the data needs (for example from a commercial US region
#     to a government region). `tdcheck providers` shows each boundary's authorisation.
package tdcheck.rules.verify_ver_002

import data.tdcheck.lib
import rego.v1

findings := [lib.location_finding("VER-002", id, claim_verdict(facts)) |
	some id in object.keys(lib.catalogued_locations)
	facts := lib.catalogued_locations[id]
	facts.loc.fedramp
	facts.boundary.fedramp
]

claim_verdict(facts) := {
	"failed": true,
	"message": [
		facts.label, " (boundary ", facts.boundary_id, ") holds FedRAMP ", facts.boundary.fedramp.level,
		" ", facts.boundary.fedramp.status, "; the location claims ", lib.fedramp_level(facts.loc),
		" ", lib.fedramp_status(facts.loc), " (", facts.boundary_sources, ", read ", facts.as_of, ")",
	],
	"path": lib.location_path(facts.loc.id, "fedramp"),
} if {
	above(facts)
} else := {
	"failed": false,
	"message": [
		facts.label, " (boundary ", facts.boundary_id, ") holds FedRAMP ", facts.boundary.fedramp.level,
		" ", facts.boundary.fedramp.status, " (", facts.boundary_sources, ", read ", facts.as_of, ")",
	],
	"path": lib.location_path(facts.loc.id, "fedramp"),
}

above(facts) if {
	claimed := object.get(lib.fedramp_claim_rank, lib.fedramp_level(facts.loc), 0)
	claimed > object.get(lib.fedramp_claim_rank, facts.boundary.fedramp.level, 0)
}

above(facts) if {
	claimed := object.get(lib.fedramp_status_rank, lib.fedramp_status(facts.loc), 0)
	claimed > object.get(lib.fedramp_status_rank, facts.boundary.fedramp.status, 0)
}
