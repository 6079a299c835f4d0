# METADATA
# title: A cloud location's country is the country of its provider region
# description: >-
#   Where a location names a provider and a region the provider catalogue records, the
#   location's country must be the region's country as the provider publishes it. A
#   country written by hand is only a claim; the region's public location is the record.
# scope: package
# custom:
#   id: VER-001
#   framework: verify
#   severity: error
#   subject: location
#   verifies: [country]
#   citation: Provider region lists (data.tdcheck.reference.providers, region_sources)
#   remediation: >-
#     Set `country` to the region's country, or correct `region` if the location is
#     somewhere else. `tdcheck providers --provider P` lists each region's country.
package tdcheck.rules.verify_ver_001

import data.tdcheck.lib
import rego.v1

findings := [lib.location_finding("VER-001", id, claim_verdict(lib.catalogued_locations[id])) |
	some id in object.keys(lib.catalogued_locations)
]

claim_verdict(facts) := {
	"failed": true,
	"message": [
		facts.label, " is in ", facts.region.country, ", not ", facts.loc.country,
		" (", facts.region_sources, ", read ", facts.as_of, ")",
	],
	"path": lib.location_path(facts.loc.id, "country"),
} if {
	facts.loc.country != facts.region.country
} else := {
	"failed": false,
	"message": [facts.label, " is in ", facts.region.country, " (", facts.region_sources, ", read ", facts.as_of, ")"],
	"path": lib.location_path(facts.loc.id, "country"),
}
