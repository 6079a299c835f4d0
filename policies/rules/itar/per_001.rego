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

findings contains lib.stage_finding("ITAR-PER-001", stage_id, verdict(stage_id, lib.location_of(stage_id))) if {
	some stage_id in lib.stages_handling("itar")
}

verdict(stage_id, loc) := {
	"failed": false,
	"message": [lib.handles_label(stage_id, "itar"), "; personnel.us_persons_only is true"],
	"path": lib.location_subpath(loc.id, "personnel", "us_persons_only"),
} if {
	loc.personnel.us_persons_only
} else := {
	"failed": false,
	"message": [
		lib.handles_label(stage_id, "itar"), "; personnel.us_persons_only is false, but ",
		lib.carve_out_label(stage_id, loc, "22 CFR 120.54(a)(5)"),
	],
	"path": lib.location_path(loc.id, "encryption_at_rest"),
} if {
	lib.carve_out(lib.stages[stage_id], loc)
} else := {
	"failed": true,
	"message": [
		lib.handles_label(stage_id, "itar"), "; personnel.us_persons_only is false (a deemed export), and ",
		lib.carve_out_gap(stage_id, loc, "22 CFR 120.54(a)(5)"),
	],
	"path": lib.location_subpath(loc.id, "personnel", "us_persons_only"),
}
