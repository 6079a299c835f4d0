# Federal cloud frameworks - facts shared by the FedRAMP, DoD Cloud SRG and CUI rules
# Where each framework applies (rules-v1.md), the FedRAMP level a location can claim,
# and the message fragments that say why a rule applies.
package tdcheck.lib

import rego.v1

# FedRAMP applies where impact(S) is set and cloud(L).
fedramp_stages contains stage_id if {
	some stage_id in object.keys(stage_ranks)
	stage_ranks[stage_id].impact > 0
	cloud(stage_location[stage_id])
}

# The DoD Cloud SRG applies where il(S) is set and third_party(L).
dod_stages contains stage_id if {
	some stage_id in object.keys(stage_ranks)
	stage_ranks[stage_id].il > 0
	third_party(stage_location[stage_id])
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

# Per FedRAMP stage: impact(S) and the label "stage train at gov (US) handles federal
# information at FIPS 199 impact moderate (records) in a public_cloud run by third_party".
fedramp_subjects := {s: {"impact": impact, "label": [
	stage_labels[s], " handles federal information at FIPS 199 impact ",
	impact_name[impact], " (", list(ds), ") in a ", loc.kind, " run by ", loc.operator,
]} |
	some s in fedramp_stages
	impact := stage_ranks[s].impact
	loc := stage_location[s]
	ds := {d | some d in stage_datasets[s]; dataset_facts[d].impact > 0}
}

# Per DoD stage: il(S) and the label "stage train at gov (US) handles DoD data at il5
# (records) at a location run by a third party".
dod_subjects := {s: {"il": il, "label": [
	stage_labels[s], " handles DoD data at ", il_name[il],
	" (", list(ds), ") at a location run by a third party",
]} |
	some s in dod_stages
	il := stage_ranks[s].il
	ds := {d | some d in stage_datasets[s]; dataset_facts[d].il > 0}
}
