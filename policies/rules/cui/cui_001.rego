# METADATA
# title: A cloud handling CUI is FedRAMP Moderate authorized or equivalent
# description: >-
#   Under DFARS 252.204-7012(b)(2)(ii)(D) a cloud service that stores, processes or
#   transmits covered defense information (CUI) meets the FedRAMP Moderate baseline:
#   it is FedRAMP Authorized (or Certified, the 2026 name) at moderate or high, or has a FedRAMP Moderate equivalency
#   body of evidence. Encrypting the CUI does not take the cloud out of scope.
#   Locations that are not a cloud (on premises, colocation, a self-operated private
#   cloud) pass.
# scope: package
# custom:
#   id: CUI-001
#   framework: cui
#   severity: error
#   subject: stage
#   citation: DFARS 252.204-7012(b)(2)(ii)(D)
#   remediation: >-
#     Use a cloud service offering that is FedRAMP Authorized at moderate or high
#     (`fedramp: {status: authorized, level: moderate}`; `certified` counts too), or one with a FedRAMP Moderate
#     equivalency body of evidence per the DoD CIO memo of 21 Dec 2023
#     (`fedramp_moderate_equivalent: true`), or keep the stage on premises.
package tdcheck.rules.cui_001

import data.tdcheck.lib
import rego.v1

findings := [lib.stage_finding("CUI-001", stage_id, verdict(label, lib.stage_location[stage_id])) |
	some stage_id in lib.stages_with_class.cui
	label := lib.handles_labels[stage_id].cui
]

moderate_authorized(loc) if {
	lib.fedramp_status(loc) in lib.fedramp_authorised_statuses
	lib.fedramp_rank(loc) >= lib.impact_rank.moderate
}

verdict(label, loc) := {
	"failed": false,
	"message": [label, "; ", loc.kind, " run by ", loc.operator, " is not a cloud service"],
	"path": lib.location_path(loc.id, "kind"),
} if {
	not lib.cloud(loc)
} else := {
	"failed": false,
	"message": [
		label, "; the cloud is FedRAMP ", lib.fedramp_status(loc), " at ", lib.fedramp_level(loc),
	],
	"path": lib.fedramp_path(loc, "level"),
} if {
	moderate_authorized(loc)
} else := {
	"failed": false,
	"message": [
		label, "; the cloud has a FedRAMP Moderate equivalency body of evidence",
	],
	"path": lib.location_path(loc.id, "fedramp_moderate_equivalent"),
} if {
	loc.fedramp_moderate_equivalent
} else := {
	"failed": true,
	"message": [
		label, "; the cloud (", loc.kind, ") is neither FedRAMP authorized or certified at moderate ",
		"or higher (fedramp.status ", lib.fedramp_status(loc), ", fedramp.level ", lib.fedramp_level(loc),
		") nor FedRAMP Moderate equivalent",
	],
	"path": lib.fedramp_path(loc, "status"),
} if {
	not lib.fedramp_status(loc) in lib.fedramp_authorised_statuses
} else := {
	"failed": true,
	"message": [
		label, "; the cloud (", loc.kind, ") is FedRAMP ", lib.fedramp_status(loc), " only at ",
		lib.fedramp_level(loc), " (service_model ", loc.service_model, "), below moderate, ",
		"and not FedRAMP Moderate equivalent",
	],
	"path": lib.fedramp_path(loc, "level"),
}
