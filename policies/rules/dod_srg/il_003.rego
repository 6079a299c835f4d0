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

findings contains lib.stage_finding("DOD-IL-003", stage_id, verdict(stage_id, lib.location_of(stage_id))) if {
	some stage_id in lib.dod_stages
}

verdict(stage_id, loc) := {
	"failed": true,
	"message": [lib.dod_label(stage_id), "; from il5 infrastructure must be dedicated, and tenancy is multi_tenant"],
	"path": lib.location_path(loc.id, "tenancy"),
} if {
	lib.stage_il(stage_id) >= lib.il_rank.il5
	loc.tenancy == "multi_tenant"
} else := {
	"failed": false,
	"message": [lib.dod_label(stage_id), "; tenancy is ", loc.tenancy, ", dedicated as il5 and above require"],
	"path": lib.location_path(loc.id, "tenancy"),
} if {
	lib.stage_il(stage_id) >= lib.il_rank.il5
} else := {
	"failed": false,
	"message": [lib.dod_label(stage_id), "; tenancy is ", loc.tenancy, " (below il5 logical separation suffices)"],
	"path": lib.location_path(loc.id, "tenancy"),
}
