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

findings contains lib.stage_finding("AIRGAP-001", stage_id, verdict(stage_id, lib.location_of(stage_id))) if {
	some stage_id in object.keys(lib.stages)
	count(lib.air_gap_stage_datasets(stage_id)) > 0
}

verdict(stage_id, loc) := {
	"failed": loc.air_gapped != true,
	"message": [
		lib.stage_label(stage_id), " handles data under an air-gap mandate (",
		lib.list(lib.air_gap_stage_datasets(stage_id)), "); air_gapped is ", loc.air_gapped,
	],
	"path": lib.location_path(loc.id, "air_gapped"),
}
