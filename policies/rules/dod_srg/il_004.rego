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

findings := [lib.stage_finding("DOD-IL-004", stage_id, verdict(subject, lib.stage_location[stage_id])) |
	some stage_id in object.keys(lib.dod_subjects)
	subject := lib.dod_subjects[stage_id]
]

il6(subject) if subject.il == lib.il_rank.il6

il4_or_il5(subject) if subject.il in {lib.il_rank.il4, lib.il_rank.il5}

verdict(subject, loc) := {
	"failed": true,
	"message": [subject.label, "; only US persons may operate it, and personnel.us_persons_only is false"],
	"path": lib.location_subpath(loc.id, "personnel", "us_persons_only"),
} if {
	il4_or_il5(subject)
	not loc.personnel.us_persons_only
} else := {
	"failed": true,
	"message": [subject.label, "; only US citizens may operate it, and personnel.us_citizens_only is false"],
	"path": lib.location_subpath(loc.id, "personnel", "us_citizens_only"),
} if {
	il6(subject)
	not loc.personnel.us_citizens_only
} else := {
	"failed": true,
	"message": [
		subject.label, "; its personnel need a secret clearance or higher, and personnel.clearance is ",
		loc.personnel.clearance,
	],
	"path": lib.location_subpath(loc.id, "personnel", "clearance"),
} if {
	il6(subject)
	object.get(lib.level_rank, loc.personnel.clearance, 0) < lib.level_rank.secret
} else := {
	"failed": false,
	"message": [
		subject.label, "; personnel: us_citizens_only true, clearance ", loc.personnel.clearance,
	],
	"path": lib.location_subpath(loc.id, "personnel", "clearance"),
} if {
	il6(subject)
} else := {
	"failed": false,
	"message": [subject.label, "; personnel.us_persons_only is true"],
	"path": lib.location_subpath(loc.id, "personnel", "us_persons_only"),
} if {
	il4_or_il5(subject)
} else := {
	"failed": false,
	"message": [subject.label, "; il2 sets no personnel requirement"],
	"path": lib.location_path(loc.id, "personnel"),
}
