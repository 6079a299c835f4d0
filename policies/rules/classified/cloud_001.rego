# METADATA
# title: Classified data stays out of multi-tenant clouds, and TOP SECRET out of clouds not accredited for it
# description: >-
#   Classified data is never placed in a multi-tenant public or government cloud region.
#   The DoD Cloud SRG stops at SECRET (IL6), so TOP SECRET data has no place in a public
#   cloud, or a government cloud, even with dedicated tenancy, unless that government
#   cloud is accredited for TOP SECRET under ICD 503 (an intelligence community cloud).
# scope: package
# custom:
#   id: CLS-CLOUD-001
#   framework: classified
#   severity: error
#   subject: stage
#   citation: DoD CC SRG scope (IL6 stops at SECRET); ICD 503
#   remediation: >-
#     Move the stage to dedicated infrastructure (`tenancy: dedicated` or
#     `dedicated_government`, e.g. an IL6 offering) for SECRET and below, and to an
#     accredited TOP SECRET enclave or a dedicated government cloud accredited for TOP
#     SECRET (`classified_accreditation: top_secret`) for TOP SECRET data.
package tdcheck.rules.classified_cloud_001

import data.tdcheck.lib
import rego.v1

findings := [lib.stage_finding("CLS-CLOUD-001", stage_id, verdict(subject, lib.stage_location[stage_id])) |
	some stage_id in object.keys(lib.classified_subjects)
	subject := lib.classified_subjects[stage_id]
]

shared_cloud_kinds := {"public_cloud", "government_cloud"}

verdict(subject, loc) := {
	"failed": true,
	"message": [subject.label, "; the location is a ", loc.kind, " with multi_tenant tenancy"],
	"path": lib.location_path(loc.id, "tenancy"),
} if {
	loc.kind in shared_cloud_kinds
	loc.tenancy == "multi_tenant"
} else := {
	"failed": false,
	"message": [
		subject.label, "; the location is a government_cloud (tenancy ", loc.tenancy,
		") accredited for top_secret (ICD 503)",
	],
	"path": lib.location_path(loc.id, "classified_accreditation"),
} if {
	subject.level == lib.level_rank.top_secret
	loc.kind == "government_cloud"
	loc.classified_accreditation == "top_secret"
} else := {
	"failed": true,
	"message": [
		subject.label, "; the location is a ", loc.kind, " (tenancy ", loc.tenancy,
		", classified_accreditation ", lib.accreditation_name(loc),
		"): the DoD Cloud SRG stops at secret, and only a government cloud accredited for top_secret (ICD 503) may hold more",
	],
	"path": lib.location_path(loc.id, "kind"),
} if {
	loc.kind in shared_cloud_kinds
	subject.level == lib.level_rank.top_secret
} else := {
	"failed": false,
	"message": [subject.label, "; location kind ", loc.kind, ", tenancy ", loc.tenancy],
	"path": lib.location_path(loc.id, "kind"),
}
