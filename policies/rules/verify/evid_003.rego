# METADATA
# title: Every resource a location is bound to exists in its Terraform
# description: >-
#   A binding names the resources that make a location. One the Terraform no longer
#   declares (renamed, removed, moved into a module) means the manifest describes
#   infrastructure that is not there: the binding has drifted, and nothing the
#   location claims is checked against its code.
# scope: package
# custom:
#   id: EVID-003
#   framework: verify
#   severity: error
#   subject: location
#   citation: evidence-v1.md (NIST SP 800-53 CM-8, system component inventory)
#   remediation: >-
#     Update the location's `evidence[].resources` to the resources' current addresses
#     (`terraform state list` shows them; a resource moved into a module is
#     `module.NAME.TYPE.NAME`), or remove the binding of a resource that is gone.
package tdcheck.rules.verify_evid_003

import data.tdcheck.lib
import rego.v1

# Location id -> the bound addresses its Terraform does not declare.
missing[loc_id] := [r | some r in candidates; not r.found] if {
	some loc_id in object.keys(lib.evidence)
	candidates := lib.evidence[loc_id]
}

findings := [lib.location_finding("EVID-003", loc_id, evidence_verdict(loc_id)) |
	some loc_id in object.keys(lib.evidence)
]

evidence_verdict(loc_id) := {
	"failed": true,
	"message": [
		"location ", id, " is bound to ", r.bound, ", which the Terraform in ", r.source,
		" does not declare (renamed, removed or moved into a module?)",
	],
	"path": r.path,
} if {
	# regopy scans a rule looked up by a parameter: a local first (policies/README.md)
	# regal ignore:pointless-reassignment
	id := loc_id
	r := missing[id][0]
} else := {
	"failed": false,
	"message": ["every resource location ", id, " is bound to is declared in its Terraform"],
	"path": lib.evidence[id][0].path,
} if {
	# regopy scans a rule looked up by a parameter: a local first (policies/README.md)
	# regal ignore:pointless-reassignment
	id := loc_id
}
