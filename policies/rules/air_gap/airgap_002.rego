# METADATA
# title: An air-gapped location is not connected to the internet or a private network
# description: >-
#   An air gap means no physical or automated logical connection to another network. A
#   location declared air-gapped must have `network: none` (or only a closed classified
#   network of its own domain), never `internet` or `private`.
# scope: package
# custom:
#   id: AIRGAP-002
#   framework: air_gap
#   severity: error
#   subject: location
#   citation: CNSSI 4009
#   remediation: >-
#     Disconnect the location from the internet and private networks and set
#     `network: none` (or `classified` for a closed classified network), or stop
#     declaring it `air_gapped`.
package tdcheck.rules.air_gap_airgap_002

import data.tdcheck.lib
import rego.v1

findings := [lib.location_finding("AIRGAP-002", loc_id, location_verdict(loc)) |
	some loc_id in lib.air_gapped_locations
	loc := lib.locations[loc_id]
]

connected_networks := {"internet", "private"}

location_verdict(loc) := {
	"failed": loc.network in connected_networks,
	"message": ["location ", loc.id, " (", loc.country, ") is declared air-gapped; network is ", loc.network],
	"path": lib.location_path(loc.id, "network"),
}
