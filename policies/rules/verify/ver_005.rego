# METADATA
# title: The services a cloud location uses are in audit scope at its boundary
# description: >-
#   An authorisation covers the services in its audit scope, not every service a
#   provider runs in the region. Where a location claims a FedRAMP level or a DoD impact
#   level and lists its `services`, each listed service the catalogue records must be in
#   scope at the region's boundary for the level claimed.
# scope: package
# custom:
#   id: VER-005
#   framework: verify
#   severity: warning
#   subject: location
#   verifies: [services]
#   citation: Providers' services-in-scope pages (service sources in the catalogue)
#   remediation: >-
#     Use a service in scope at the level the location claims (`tdcheck providers
#     --provider P` lists each service's scope per boundary), or lower the claim to what
#     every service holds.
package tdcheck.rules.verify_ver_005

import data.tdcheck.lib
import rego.v1

# Per location claiming a level and listing services: the catalogued services it uses
# and those among them out of scope for the claim.
service_checks := {id: check |
	some id in object.keys(lib.catalogued_locations)
	facts := lib.catalogued_locations[id]
	claims_level(facts.loc)
	catalogued := lib.provider_catalogue[facts.provider].services
	known := [s | some s in object.get(facts.loc, "services", []); catalogued[s]]
	count(known) > 0
	outside := [s | some s in known; not in_scope(catalogued[s], facts)]
	unknown := [s | some s in object.get(facts.loc, "services", []); not catalogued[s]]
	sources := lib.list({u | some s in known; some u in catalogued[s].sources})
	check := {
		"facts": facts, "outside": outside, "unknown": unknown, "sources": sources,
		"known_list": lib.list(known), "outside_list": lib.list(outside),
	}
}

# A pass says every listed service is in scope: none may be missing from the catalogue
# (VER-006 reports it); a service out of scope fails whatever else is listed.
findings := [lib.location_finding("VER-005", id, services_verdict(check)) |
	some id in object.keys(service_checks)
	check := service_checks[id]
	judged(check)
]

judged(check) if count(check.outside) > 0

judged(check) if count(check.unknown) == 0

claims_level(loc) if loc.fedramp.level

claims_level(loc) if loc.dod_impact_level

services_verdict(check) := {
	"failed": true,
	"message": [
		"services not in audit scope at ", check.facts.label, " (boundary ", check.facts.boundary_id,
		") for the level the location claims: ", check.outside_list,
		" (", check.sources, ", read ", check.facts.as_of, ")",
	],
	"path": lib.location_path(check.facts.loc.id, "services"),
} if {
	count(check.outside) > 0
} else := {
	"failed": false,
	"message": [
		"services in audit scope at ", check.facts.label, " (boundary ", check.facts.boundary_id,
		") for the level the location claims: ", check.known_list,
	],
	"path": lib.location_path(check.facts.loc.id, "services"),
}

in_scope(service, facts) if {
	scope := service.scope[facts.boundary_id]
	fedramp_covered(scope, facts.loc)
	dod_covered(scope, facts.loc)
}

fedramp_covered(_, loc) if not loc.fedramp.level

fedramp_covered(scope, loc) if {
	held := object.get(lib.fedramp_claim_rank, object.get(scope, "fedramp", "none"), 0)
	held >= object.get(lib.fedramp_claim_rank, loc.fedramp.level, 0)
}

dod_covered(_, loc) if not loc.dod_impact_level

dod_covered(scope, loc) if {
	lib.highest_dod_rank(object.get(scope, "dod", [])) >= object.get(lib.dod_level_rank, loc.dod_impact_level, 0)
}
