# METADATA
# title: Personnel of a DoD location meet the impact level's requirements
# description: >-
#   At IL4 and IL5 only US persons operate and administer the location; at IL6 only US
#   citizens holding a SECRET clearance or higher.
# scope: package
# custom:
#   id: DOD-IL-004
#   framework: dod_srg
#   severity: error
#   subject: stage
#   citation: DoD CC SRG personnel requirements
#   remediation: >-
#     Restrict operation and administration of the location to US persons (IL4, IL5:
#     `personnel.us_persons_only: true`) or to US citizens cleared SECRET or higher
#     (IL6: `personnel.us_citizens_only: true`, `personnel.clearance: secret` or `top_secret`).
package tdcheck.rules.dod_srg_il_004

import data.tdcheck.lib
import rego.v1

findings contains lib.stage_finding("DOD-IL-004", stage_id, verdict(stage_id, lib.location_of(stage_id))) if {
	some stage_id in lib.dod_stages
}

il6(stage_id) if lib.stage_il(stage_id) == lib.il_rank.il6

il4_or_il5(stage_id) if lib.stage_il(stage_id) in {lib.il_rank.il4, lib.il_rank.il5}

verdict(stage_id, loc) := {
	"failed": true,
	"message": [lib.dod_label(stage_id), "; only US persons may operate it, and personnel.us_persons_only is false"],
	"path": lib.location_subpath(loc.id, "personnel", "us_persons_only"),
} if {
	il4_or_il5(stage_id)
	not loc.personnel.us_persons_only
} else := {
	"failed": true,
	"message": [lib.dod_label(stage_id), "; only US citizens may operate it, and personnel.us_citizens_only is false"],
	"path": lib.location_subpath(loc.id, "personnel", "us_citizens_only"),
} if {
	il6(stage_id)
	not loc.personnel.us_citizens_only
} else := {
	"failed": true,
	"message": [
		lib.dod_label(stage_id), "; its personnel need a secret clearance or higher, and personnel.clearance is ",
		loc.personnel.clearance,
	],
	"path": lib.location_subpath(loc.id, "personnel", "clearance"),
} if {
	il6(stage_id)
	object.get(lib.level_rank, loc.personnel.clearance, 0) < lib.level_rank.secret
} else := {
	"failed": false,
	"message": [
		lib.dod_label(stage_id), "; personnel: us_citizens_only true, clearance ", loc.personnel.clearance,
	],
	"path": lib.location_subpath(loc.id, "personnel", "clearance"),
} if {
	il6(stage_id)
} else := {
	"failed": false,
	"message": [lib.dod_label(stage_id), "; personnel.us_persons_only is true"],
	"path": lib.location_subpath(loc.id, "personnel", "us_persons_only"),
} if {
	il4_or_il5(stage_id)
} else := {
	"failed": false,
	"message": [lib.dod_label(stage_id), "; il2 sets no personnel requirement"],
	"path": lib.location_path(loc.id, "personnel"),
}
