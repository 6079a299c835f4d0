# Lineage - effective classes and levels of every dataset, stage and location
# Implements the lineage section of manifest-v1.md. Shared facts are computed once
# (one reachability per class or level), never per pair, which keeps the embedded
# engine fast.
package tdcheck.lib

import rego.v1

all_classes := ["public", "internal", "pii", "phi", "cui", "itar", "ear", "eu_personal"]

regulated_classes := {"pii", "phi", "cui", "itar", "ear", "eu_personal"}

level_rank := {"unclassified": 0, "confidential": 1, "secret": 2, "top_secret": 3}

level_name := ["unclassified", "confidential", "secret", "top_secret"]

impact_rank := {"low": 1, "moderate": 2, "high": 3}

impact_name := ["none", "low", "moderate", "high"]

il_rank := {"il2": 1, "il4": 2, "il5": 3, "il6": 4}

il_name := ["none", "il2", "il4", "il5", "il6"]

writer := {d: s.id | some s in stages; some d in s.outputs}

# Dataset graph: d -> every dataset written by a stage that reads d.
successors := {d: {o | some s in stages; d in s.inputs; some o in s.outputs} | some d in object.keys(datasets)}

deidentified(d) if {
	stages[writer[d]].type == "deidentification"
	datasets[d].deidentification.method in {"safe_harbor", "expert_determination"}
}

# PHI does not flow into the qualifying output of a de-identification stage.
phi_successors := {d: {o | some o in successors[d]; not deidentified(o)} | some d in object.keys(datasets)}

declares(d, "ear") if {
	eccn := datasets[d].eccn
	eccn != "EAR99"
}

declares(d, class) if class in datasets[d].classifications

# Function parameters are not used inside comprehensions: regopy loses them there.
declaring := {c: {d | some d in object.keys(datasets); declares(d, c)} | some c in all_classes}

class_successors("phi") := phi_successors

class_successors(class) := successors if class != "phi"

datasets_with_class := {c: graph.reachable(class_successors(c), declaring[c]) | some c in all_classes}

declared_rank := {d: {
	"level": object.get(level_rank, object.get(datasets[d], "classification_level", ""), 0),
	"impact": object.get(impact_rank, object.get(datasets[d], "fips199_impact", ""), 0),
	"il": object.get(il_rank, object.get(datasets[d], "dod_impact_level", ""), 0),
} |
	some d in object.keys(datasets)
}

# A rank at or above r reaches everything downstream, so the effective rank is the highest r
# that reaches a dataset. One rule per kind, no function: the embedded engine loses a
# function parameter used in a comprehension head (policies/README.md).
level_reach := {r: graph.reachable(successors, {d | some d in object.keys(datasets); declared_rank[d].level >= r}) |
	some r in numbers.range(1, 4)
}

impact_reach := {r: graph.reachable(successors, {d | some d in object.keys(datasets); declared_rank[d].impact >= r}) |
	some r in numbers.range(1, 4)
}

il_reach := {r: graph.reachable(successors, {d | some d in object.keys(datasets); declared_rank[d].il >= r}) |
	some r in numbers.range(1, 4)
}

air_gap_datasets := graph.reachable(
	successors,
	{d | some d in object.keys(datasets); datasets[d].requires_air_gap == true},
)

dataset_facts := {d: {
	"classes": {c | some c in all_classes; d in datasets_with_class[c]},
	"level": max({0} | {r | some r in object.keys(level_reach); d in level_reach[r]}),
	"impact": max({0} | {r | some r in object.keys(impact_reach); d in impact_reach[r]}),
	"il": max({0} | {r | some r in object.keys(il_reach); d in il_reach[r]}),
	"air_gap": d in air_gap_datasets,
} |
	some d in object.keys(datasets)
}

regulated(d) if {
	some c in dataset_facts[d].classes
	c in regulated_classes
}

regulated(d) if dataset_facts[d].level > 0

stage_datasets(stage_id) := {d | some d in stage.inputs} | {d | some d in stage.outputs} if {
	stage := stages[stage_id]
}

# handles(S, c): the datasets through which stage S handles class c.
class_datasets(stage_id, class) := {d | some d in stage_datasets(stage_id); class in dataset_facts[d].classes}

handles(stage_id, class) if count(class_datasets(stage_id, class)) > 0

stages_handling(class) := {s | some s in object.keys(stages); handles(s, class)}

stage_level(stage_id) := max({0} | {dataset_facts[d].level | some d in stage_datasets(stage_id)})

stage_impact(stage_id) := max({0} | {dataset_facts[d].impact | some d in stage_datasets(stage_id)})

stage_il(stage_id) := max({0} | {dataset_facts[d].il | some d in stage_datasets(stage_id)})
