# METADATA
# title: Data under an air-gap mandate is handled only at air-gapped locations
# description: >-
#   A dataset with `requires_air_gap` (a defence or intelligence mandate, even for
#   unclassified data), and everything derived from it, is only ever handled at a
#   location with no connection to any other network.
# scope: package
# custom:
#   id: AIRGAP-001
#   framework: air_gap
#   severity: error
#   subject: stage
#   citation: mission mandate; CNSSI 4009
#   remediation: >-
#     Run the stage at an air-gapped location (`air_gapped: true`, `network: none` or
#     `classified`), or keep the mandated data and its derivatives out of the stage.
package tdcheck.rules.air_gap_airgap_001

import data.tdcheck.lib
import rego.v1

findings := [lib.stage_finding("AIRGAP-001", stage_id, verdict(subject, lib.stage_location[stage_id])) |
	some stage_id in object.keys(lib.stage_air_gap_datasets)
	datasets := lib.stage_air_gap_datasets[stage_id]
	subject := {"label": lib.stage_labels[stage_id], "datasets": datasets}
]

verdict(subject, loc) := {
	"failed": loc.air_gapped != true,
	"message": [
		subject.label, " handles data under an air-gap mandate (",
		lib.list(subject.datasets), "); air_gapped is ", loc.air_gapped,
	],
	"path": lib.location_path(loc.id, "air_gapped"),
}
