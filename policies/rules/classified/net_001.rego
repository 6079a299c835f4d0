# METADATA
# title: Classified data is handled only air-gapped or on an accredited classified network
# description: >-
#   Classified data is processed on systems with no connection to other networks: an
#   air-gapped location, or one connected only to a classified network (SIPRNet and JWICS
#   enclaves are accredited classified networks, not air-gapped). A cloud on a classified
#   network also needs the authorisation for the level: IL6 (the DoD Cloud SRG's level on
#   SIPRNet) for SECRET and below, or a dedicated government cloud whose ICD 503
#   accreditation covers the level, which may go above SECRET.
# scope: package
# custom:
#   id: CLS-NET-001
#   framework: classified
#   severity: error
#   subject: stage
#   citation: 32 CFR 117.18; ICD 503; DoD CC SRG IL6
#   remediation: >-
#     Run the stage in an air-gapped enclave (`air_gapped: true`) or on an accredited
#     classified network (`network: classified`); in a cloud, use an IL6 offering
#     (`dod_impact_level: il6`) for SECRET and below, or a dedicated government cloud
#     accredited for the level (`classified_accreditation`).
package tdcheck.rules.classified_net_001

import data.tdcheck.lib
import rego.v1

findings := [lib.stage_finding("CLS-NET-001", stage_id, verdict(subject, lib.stage_location[stage_id])) |
	some stage_id in object.keys(lib.classified_subjects)
	subject := lib.classified_subjects[stage_id]
]

verdict(subject, loc) := {
	"failed": false,
	"message": [subject.label, "; the location is air-gapped"],
	"path": lib.location_path(loc.id, "air_gapped"),
} if {
	loc.air_gapped == true
} else := {
	"failed": true,
	"message": [
		subject.label, "; the location is neither air-gapped nor on a classified network (network ",
		loc.network, ")",
	],
	"path": lib.location_path(loc.id, "network"),
} if {
	loc.network != "classified"
} else := {
	"failed": false,
	"message": [subject.label, "; not air-gapped, but on an accredited classified network (", loc.kind, ")"],
	"path": lib.location_path(loc.id, "network"),
} if {
	not lib.cloud(loc)
} else := {
	"failed": false,
	"message": [
		subject.label, "; a cloud on a classified network at dod_impact_level il6, which covers data up to secret",
	],
	"path": lib.location_path(loc.id, "dod_impact_level"),
} if {
	subject.level <= lib.level_rank.secret
	loc.dod_impact_level == "il6"
} else := {
	"failed": false,
	"message": [
		subject.label, "; a dedicated government cloud on a classified network accredited for ",
		lib.accreditation_name(loc), " (ICD 503)",
	],
	"path": lib.location_path(loc.id, "classified_accreditation"),
} if {
	accredited_government_cloud(loc, subject.level)
} else := {
	"failed": true,
	"message": [
		subject.label, "; a ", loc.kind, " (tenancy ", loc.tenancy, ") on a classified network with dod_impact_level ",
		object.get(loc, "dod_impact_level", "absent"), " and classified_accreditation ", lib.accreditation_name(loc),
		": a cloud needs IL6 (up to secret) or, as a dedicated government cloud, an accreditation for the level",
	],
	"path": lib.location_path(loc.id, "dod_impact_level"),
}

accredited_government_cloud(loc, level) if {
	loc.kind == "government_cloud"
	loc.tenancy != "multi_tenant"
	lib.accreditation_rank(loc) >= level
}
