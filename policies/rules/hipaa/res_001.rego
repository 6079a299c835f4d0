# METADATA
# title: PHI stays in the countries the organisation allows
# description: >-
#   HIPAA sets no data-residency requirement. Where PHI may be stored or processed is
#   an organisational control (contracts, state Medicaid rules, internal policy), set
#   in data.tdcheck.org.phi_allowed_countries (default US only); the required risk
#   analysis must weigh the location of ePHI.
# scope: package
# custom:
#   id: HIPAA-RES-001
#   framework: hipaa
#   severity: error
#   subject: stage
#   citation: organisational policy; 45 CFR 164.308(a)(1)(ii)(A) risk analysis
#   remediation: >-
#     Run the stage at a location in an allowed country, or de-identify the data
#     (safe_harbor or expert_determination) before it leaves; if the organisation
#     accepts this country after a risk analysis, add it to `phi_allowed_countries`
#     in the organisation's policy data (--data), not in the manifest.
package tdcheck.rules.hipaa_res_001

import data.tdcheck.lib
import rego.v1

findings := [lib.stage_finding("HIPAA-RES-001", stage_id, verdict(label, lib.stage_location[stage_id])) |
	some stage_id in lib.stages_with_class.phi
	label := lib.handles_labels[stage_id].phi
]

verdict(label, loc) := {
	"failed": true,
	"message": [
		label, "; ", loc.country,
		" is not in phi_allowed_countries (", lib.list(allowed), ")",
	],
	"path": lib.location_path(loc.id, "country"),
} if {
	not loc.country in allowed
}

else := {
	"failed": false,
	"message": [
		label, "; ", loc.country,
		" is in phi_allowed_countries (", lib.list(allowed), ")",
	],
	"path": lib.location_path(loc.id, "country"),
}

allowed := {c | some c in lib.org.phi_allowed_countries}
