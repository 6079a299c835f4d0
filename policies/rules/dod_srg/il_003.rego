# METADATA
# title: IL5 and IL6 data are not placed in multi-tenant infrastructure
# description: >-
#   From IL5 the DoD Cloud Computing SRG requires infrastructure dedicated to federal
#   (or DoD) tenants, physically separate from non-federal tenants: a multi-tenant
#   location fails. IL2 and IL4 allow logical separation.
# scope: package
# custom:
#   id: DOD-IL-003
#   framework: dod_srg
#   severity: error
#   subject: stage
#   citation: DoD CC SRG separation requirements
#   remediation: >-
#     Run IL5/IL6 stages on dedicated or government-dedicated infrastructure and set
#     `tenancy` to dedicated or dedicated_government.
package tdcheck.rules.dod_srg_il_003

import data.tdcheck.lib
import rego.v1

findings := [lib.stage_finding("DOD-IL-003", stage_id, verdict(subject, lib.stage_location[stage_id])) |
	some stage_id in object.keys(lib.dod_subjects)
	subject := lib.dod_subjects[stage_id]
]

verdict(subject, loc) := {
	"failed": true,
	"message": [subject.label, "; from il5 infrastructure must be dedicated, and tenancy is multi_tenant"],
	"path": lib.location_path(loc.id, "tenancy"),
} if {
	subject.il >= lib.il_rank.il5
	loc.tenancy == "multi_tenant"
} else := {
	"failed": false,
	"message": [subject.label, "; tenancy is ", loc.tenancy, ", dedicated as il5 and above require"],
	"path": lib.location_path(loc.id, "tenancy"),
} if {
	subject.il >= lib.il_rank.il5
} else := {
	"failed": false,
	"message": [subject.label, "; tenancy is ", loc.tenancy, " (below il5 logical separation suffices)"],
	"path": lib.location_path(loc.id, "tenancy"),
}
