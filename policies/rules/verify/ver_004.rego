# METADATA
# title: A cloud location's kind matches its region
# description: >-
#   A government region declared `public_cloud`, or a commercial region declared
#   `government_cloud`, misstates where the data is and which rules apply to it.
# scope: package
# custom:
#   id: VER-004
#   framework: verify
#   severity: warning
#   subject: location
#   verifies: [kind]
#   citation: Provider region lists (data.tdcheck.reference.providers, region_sources)
#   remediation: >-
#     Set `kind` to the region's kind (`tdcheck providers` shows it), or correct `region`.
package tdcheck.rules.verify_ver_004

import data.tdcheck.lib
import rego.v1

cloud_kinds := {"public_cloud", "government_cloud"}

findings := [lib.location_finding("VER-004", id, claim_verdict(facts)) |
	some id in object.keys(lib.catalogued_locations)
	facts := lib.catalogued_locations[id]
	facts.loc.kind in cloud_kinds
]

claim_verdict(facts) := {
	"failed": true,
	"message": [
		facts.label, " is a ", facts.region.kind, " region (boundary ", facts.boundary_id,
		"); the location is declared ", facts.loc.kind, " (", facts.region_sources, ", read ", facts.as_of, ")",
	],
	"path": lib.location_path(facts.loc.id, "kind"),
} if {
	facts.loc.kind != facts.region.kind
} else := {
	"failed": false,
	"message": [facts.label, " is a ", facts.region.kind, " region (boundary ", facts.boundary_id, ")"],
	"path": lib.location_path(facts.loc.id, "kind"),
}
