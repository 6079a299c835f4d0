# METADATA
# title: Only US persons operate a location where ITAR data is in the clear
# description: >-
#   Releasing ITAR technical data to a foreign person, in the US or abroad, is an
#   export (deemed export). A location where ITAR data is processed, or stored without
#   the 22 CFR 120.54(a)(5) carve-out (client_side encryption with FIPS 140 modules),
#   is operated and administered by US persons only.
# scope: package
# custom:
#   id: ITAR-PER-001
#   framework: itar
#   severity: error
#   subject: stage
#   citation: 22 CFR 120.50(a), 120.56, 120.62
#   remediation: >-
#     Restrict operation, administration and support of the location to US persons and
#     set `personnel.us_persons_only: true` (a US region alone does not do this), or
#     obtain a licence for the named foreign persons and record a waiver.
package tdcheck.rules.itar_per_001

import data.tdcheck.lib
import rego.v1

findings := [lib.stage_finding("ITAR-PER-001", stage_id, verdict(subject, lib.stage_location[stage_id])) |
	some stage_id in lib.stages_with_class.itar
	subject := {"label": lib.handles_labels[stage_id].itar, "stage": lib.stages[stage_id]}
]

verdict(subject, loc) := {
	"failed": false,
	"message": [subject.label, "; personnel.us_persons_only is true"],
	"path": lib.location_subpath(loc.id, "personnel", "us_persons_only"),
} if {
	loc.personnel.us_persons_only
} else := {
	"failed": false,
	"message": [
		subject.label, "; personnel.us_persons_only is false, but ",
		lib.carve_out_label(subject.stage, loc, "22 CFR 120.54(a)(5)"),
	],
	"path": lib.location_path(loc.id, "encryption_at_rest"),
} if {
	lib.carve_out(subject.stage, loc)
} else := {
	"failed": true,
	"message": [
		subject.label, "; personnel.us_persons_only is false (a deemed export), and ",
		lib.carve_out_gap(subject.stage, loc, "22 CFR 120.54(a)(5)"),
	],
	"path": lib.location_subpath(loc.id, "personnel", "us_persons_only"),
}
