# Classified and air gap - classification levels, accreditations and air-gap mandates
# Shared by the CLS-* and AIRGAP-* rules (rules-v1.md) and by ADV-COST-001, which keeps
# quiet where classified or air-gap data leaves no cloud option.
package tdcheck.lib

import rego.v1

# level(S) above unclassified: the subjects of the CLS-* stage rules.
classified_stages contains s if {
	some s in object.keys(stage_ranks)
	stage_ranks[s].level > 0
}

# A location's accreditation and its personnel's clearance on the level order
# (absent or `none` rank 0, like unclassified).
accreditation_rank(loc) := object.get(level_rank, object.get(loc, "classified_accreditation", "none"), 0)

accreditation_name(loc) := object.get(loc, "classified_accreditation", "absent")

clearance_rank(loc) := object.get(level_rank, loc.personnel.clearance, 0)

# Per classified stage: level(S) and the label "stage train at enclave (US) handles secret
# data (intel, model)", with the datasets that give it its level.
classified_subjects := {s: {"level": level, "label": [
	stage_labels[s], " handles ", level_name[level], " data (", list(level_datasets), ")",
]} |
	some s in classified_stages
	level := stage_ranks[s].level
	level_datasets := {d | some d in stage_datasets[s]; dataset_facts[d].level == level}
}

# The datasets each stage handles that carry an air-gap mandate (lineage applied), for the
# stages that handle any.
stage_air_gap_datasets := {s: ds |
	some s in object.keys(stage_datasets)
	ds := {d | some d in stage_datasets[s]; dataset_facts[d].air_gap}
	count(ds) > 0
}

air_gapped_locations contains id if {
	some id, loc in locations
	loc.air_gapped == true
}
