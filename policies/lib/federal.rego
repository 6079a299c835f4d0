# Federal cloud frameworks - facts shared by the FedRAMP, DoD Cloud SRG and CUI rules
# Where each framework applies (rules-v1.md), the FedRAMP level a location can claim,
# and the message fragments that say why a rule applies.
package tdcheck.lib

import rego.v1

# FedRAMP applies where impact(S) is set and cloud(L).
fedramp_stages contains stage_id if {
	some stage_id in object.keys(stages)
	stage_impact(stage_id) > 0
	cloud(location_of(stage_id))
}

# The DoD Cloud SRG applies where il(S) is set and third_party(L).
dod_stages contains stage_id if {
	some stage_id in object.keys(stages)
	stage_il(stage_id) > 0
	third_party(location_of(stage_id))
}

# "none" when the location declares no fedramp object or leaves the field out.
fedramp_status(loc) := object.get(loc, ["fedramp", "status"], "none")

fedramp_level(loc) := object.get(loc, ["fedramp", "level"], "none")

fedramp_level_rank := {"low": 1, "moderate": 2, "high": 3}

# The FIPS 199 impact (impact_rank) a location's FedRAMP level covers. li_saas (FedRAMP
# Tailored) is a reduced Low baseline for SaaS only: low for service_model saas, nothing
# for iaas or paas.
fedramp_rank(loc) := 1 if {
	fedramp_level(loc) == "li_saas"
	loc.service_model == "saas"
} else := object.get(fedramp_level_rank, fedramp_level(loc), 0)

# Path of a field of the location's fedramp object, or of the absent object itself.
fedramp_path(loc, field) := array.concat(location_path(loc.id, "fedramp"), [field]) if {
	loc.fedramp
} else := location_path(loc.id, "fedramp")

# Path of a field of a nested location object (personnel, access_control, gdpr).
location_subpath(loc_id, field, sub) := array.concat(location_path(loc_id, field), [sub])

# The datasets of stage S that carry a FIPS 199 impact / a DoD impact level (lineage applied).
impact_datasets(stage_id) := {d | some d in stage_datasets(stage_id); dataset_facts[d].impact > 0}

il_datasets(stage_id) := {d | some d in stage_datasets(stage_id); dataset_facts[d].il > 0}

# "stage train at gov (US) handles federal information at FIPS 199 impact moderate (records)
# in a public_cloud run by third_party"
fedramp_label(stage_id) := [
	stage_label(stage_id), " handles federal information at FIPS 199 impact ",
	impact_name[stage_impact(stage_id)], " (", list(impact_datasets(stage_id)), ") in a ",
	loc.kind, " run by ", loc.operator,
] if {
	loc := location_of(stage_id)
}

# "stage train at gov (US) handles DoD data at il5 (records) at a location run by a third party"
dod_label(stage_id) := [
	stage_label(stage_id), " handles DoD data at ", il_name[stage_il(stage_id)],
	" (", list(il_datasets(stage_id)), ") at a location run by a third party",
]
