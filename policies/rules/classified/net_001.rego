# METADATA
# title: Classified data is handled only at air-gapped locations (or SECRET at IL6 on a classified network)
# description: >-
#   Classified data is processed on systems with no connection to other networks. The one
#   exception is an IL6 location on a classified network (SIPRNet class), which the DoD
#   Cloud SRG scopes to SECRET and below; TOP SECRET always needs an air gap.
# scope: package
# custom:
#   id: CLS-NET-001
#   framework: classified
#   severity: error
#   subject: stage
#   citation: CNSSI 4009 (air gap); DoD CC SRG IL6
#   remediation: >-
#     Run the stage in an air-gapped enclave (`air_gapped: true`), or, for SECRET and
#     below, at an IL6-authorised location (`dod_impact_level: il6`) connected only to a
#     classified network (`network: classified`).
package tdcheck.rules.classified_net_001

import data.tdcheck.lib
import rego.v1

findings := [lib.stage_finding("CLS-NET-001", stage_id, verdict(subject, lib.stage_location[stage_id])) |
	some stage_id in object.keys(lib.classified_subjects)
	subject := lib.classified_subjects[stage_id]
]

il6_classified_network(loc) if {
	loc.dod_impact_level == "il6"
	loc.network == "classified"
}

verdict(subject, loc) := {
	"failed": false,
	"message": [subject.label, "; the location is air-gapped"],
	"path": lib.location_path(loc.id, "air_gapped"),
} if {
	loc.air_gapped == true
}

else := {
	"failed": false,
	"message": [
		subject.label, "; not air-gapped, but an IL6 location on a classified network",
		" may handle data up to secret",
	],
	"path": lib.location_path(loc.id, "network"),
} if {
	subject.level <= lib.level_rank.secret
	il6_classified_network(loc)
}

else := {
	"failed": true,
	"message": [
		subject.label, "; the location is not air-gapped (network ", loc.network,
		", dod_impact_level ", object.get(loc, "dod_impact_level", "absent"),
		"); only data up to secret may run without an air gap, at an IL6 location on a classified network",
	],
	"path": lib.location_path(loc.id, "air_gapped"),
}
