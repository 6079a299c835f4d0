# METADATA
# title: The facts of a location's Terraform can be resolved statically
# description: >-
#   Terraform evidence is read without running Terraform. A fact the rules need that
#   depends on a variable without a default, or on a value known only after apply,
#   cannot be checked: the location's claim about it stays unverified, and this
#   finding says which fact of which resource.
# scope: package
# custom:
#   id: EVID-006
#   framework: verify
#   severity: advisory
#   subject: location
#   citation: evidence-v1.md
#   remediation: >-
#     Give the variable a default (or bind a plan, `terraform show -json`, where
#     Terraform has resolved it), or accept that the claim is taken on the manifest's
#     word.
package tdcheck.rules.verify_evid_006

import data.tdcheck.lib
import rego.v1

# Location id -> its bound resources with facts that could not be resolved statically.
open[loc_id] := [r | some r in candidates; count(r.unresolved) > 0] if {
	some loc_id in object.keys(lib.evidence_found)
	candidates := lib.evidence_found[loc_id]
}

findings := [lib.location_finding("EVID-006", loc_id, evidence_verdict(loc_id)) |
	some loc_id in object.keys(lib.evidence_found)
	count(lib.evidence_found[loc_id]) > 0
]

evidence_verdict(loc_id) := {
	"failed": true,
	"message": [
		"location ", id, ": ", lib.resource_label(r), " has facts that cannot be resolved statically (",
		lib.list(r.unresolved), ")",
	],
	"path": r.path,
} if {
	# regopy scans a rule looked up by a parameter: a local first (policies/README.md)
	# regal ignore:pointless-reassignment
	id := loc_id
	r := open[id][0]
} else := {
	"failed": false,
	"message": ["location ", id, ": every fact of its bound resources was resolved statically"],
	"path": lib.location_path(id, "evidence"),
} if {
	# regopy scans a rule looked up by a parameter: a local first (policies/README.md)
	# regal ignore:pointless-reassignment
	id := loc_id
}
