# Classified and air gap - classification levels, accreditations and air-gap mandates
# Shared by the CLS-* and AIRGAP-* rules (rules-v1.md) and by ADV-COST-001, which keeps
# quiet where classified or air-gap data leaves no cloud option.
package tdcheck.lib

import rego.v1

# level(S) above unclassified: the subjects of the CLS-* stage rules.
classified_stages contains s if {
	some s in object.keys(stages)
	stage_level(s) > 0
}

# A location's accreditation and its personnel's clearance on the level order
# (absent or `none` rank 0, like unclassified).
accreditation_rank(loc) := object.get(level_rank, object.get(loc, "classified_accreditation", "none"), 0)

accreditation_name(loc) := object.get(loc, "classified_accreditation", "absent")

clearance_rank(loc) := object.get(level_rank, loc.personnel.clearance, 0)

# The datasets that give stage S its level, for messages. Computed once per stage in a
# rule: the embedded engine mishandles function parameters inside comprehensions.
stage_level_datasets := {s: {d | some d in stage_datasets(s); dataset_facts[d].level == stage_level(s)} |
	some s in object.keys(stages)
}

level_datasets(stage_id) := stage_level_datasets[stage_id]

# "stage train at enclave (US) handles secret data (intel, model)"
classified_label(stage_id) := [
	stage_label(stage_id), " handles ", level_name[stage_level(stage_id)], " data (",
	list(level_datasets(stage_id)), ")",
]

# The datasets each stage handles that carry an air-gap mandate (lineage applied).
stage_air_gap_datasets := {s: {d | some d in stage_datasets(s); dataset_facts[d].air_gap} |
	some s in object.keys(stages)
}

air_gap_stage_datasets(stage_id) := stage_air_gap_datasets[stage_id]

air_gapped_locations contains id if {
	some id, loc in locations
	loc.air_gapped == true
}
