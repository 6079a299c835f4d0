# METADATA
# title: The FedRAMP baseline of a cloud covers the FIPS 199 impact of its data
# description: >-
#   The FedRAMP baseline (low, moderate, high) of a cloud handling federal information
#   is at least the FIPS 199 impact of that data (high-water mark, lineage applied).
#   LI-SaaS (FedRAMP Tailored) counts as Low for software as a service only, never
#   for IaaS or PaaS.
# scope: package
# custom:
#   id: FEDRAMP-LVL-001
#   framework: fedramp
#   severity: error
#   subject: stage
#   citation: FIPS 199; FedRAMP baselines
#   remediation: >-
#     Run the stage on a cloud service offering authorized at a FedRAMP baseline at
#     least as high as the data's `fips199_impact` and set `fedramp.level` to it
#     (li_saas only for a SaaS offering with low-impact data).
package tdcheck.rules.fedramp_lvl_001

import data.tdcheck.lib
import rego.v1

findings := [lib.stage_finding("FEDRAMP-LVL-001", stage_id, verdict(subject, lib.stage_location[stage_id])) |
	some stage_id in object.keys(lib.fedramp_subjects)
	subject := lib.fedramp_subjects[stage_id]
]

verdict(subject, loc) := {
	"failed": true,
	"message": [
		subject.label, "; it declares no FedRAMP level (no fedramp), so nothing covers impact ",
		lib.impact_name[subject.impact],
	],
	"path": lib.fedramp_path(loc, "level"),
} if {
	not loc.fedramp
} else := {
	"failed": true,
	"message": [
		subject.label, "; its fedramp.level li_saas counts as low only for service_model saas, ",
		"and its service_model is ", loc.service_model,
	],
	"path": lib.fedramp_path(loc, "level"),
} if {
	lib.fedramp_level(loc) == "li_saas"
	loc.service_model != "saas"
} else := {
	"failed": true,
	"message": [
		subject.label, "; its fedramp.level ", lib.fedramp_level(loc), " is below impact ",
		lib.impact_name[subject.impact],
	],
	"path": lib.fedramp_path(loc, "level"),
} if {
	lib.fedramp_rank(loc) < subject.impact
} else := {
	"failed": false,
	"message": [
		subject.label, "; its fedramp.level ", lib.fedramp_level(loc), " (service_model ",
		loc.service_model, ") covers impact ", lib.impact_name[subject.impact],
	],
	"path": lib.fedramp_path(loc, "level"),
}
