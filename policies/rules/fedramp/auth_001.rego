# METADATA
# title: A cloud handling federal information holds a FedRAMP authorization
# description: >-
#   A cloud service (public or government cloud, or a private cloud run by a third
#   party) that stores or processes federal information (data with a FIPS 199
#   impact) must hold a FedRAMP authorization (`authorized`, or `certified`: FedRAMP's
#   2026 consolidated rules call an authorization a certification). FedRAMP Ready and
#   In Process are marketplace designations, not authorizations.
# scope: package
# custom:
#   id: FEDRAMP-AUTH-001
#   framework: fedramp
#   severity: error
#   subject: stage
#   citation: OMB M-24-15; 44 U.S.C. 3607-3616
#   remediation: >-
#     Run the stage on a cloud service offering that is FedRAMP Authorized (or Certified)
#     and set `fedramp.status: authorized` or `certified` (with its `fedramp.level`); a Ready or In Process
#     offering cannot host federal information until its authorization is granted.
package tdcheck.rules.fedramp_auth_001

import data.tdcheck.lib
import rego.v1

findings := [lib.stage_finding("FEDRAMP-AUTH-001", stage_id, verdict(subject, lib.stage_location[stage_id])) |
	some stage_id in object.keys(lib.fedramp_subjects)
	subject := lib.fedramp_subjects[stage_id]
]

verdict(subject, loc) := {
	"failed": true,
	"message": [subject.label, "; it declares no FedRAMP authorization (no fedramp)"],
	"path": lib.fedramp_path(loc, "status"),
} if {
	not loc.fedramp
} else := {
	"failed": true,
	"message": [
		subject.label, "; its fedramp.status is ", lib.fedramp_status(loc),
		", not authorized or certified (Ready and In Process are not authorizations)",
	],
	"path": lib.fedramp_path(loc, "status"),
} if {
	not lib.fedramp_status(loc) in lib.fedramp_authorised_statuses
} else := {
	"failed": false,
	"message": [subject.label, "; its fedramp.status is ", lib.fedramp_status(loc)],
	"path": lib.fedramp_path(loc, "status"),
}
