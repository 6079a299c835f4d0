# Lineage - effective classes and levels of every dataset, stage and location
# Implements the lineage section of manifest-v1.md. Every fact is a rule keyed by dataset
# or stage id, computed once per evaluation and looked up in rule bodies: on the embedded
# engine a function that indexes an input-derived rule with its parameter (`facts[d]`,
# `d in set`) scans the whole rule on every call (policies/README.md, "Speed").
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

# Lineage runs backwards: a dataset's effective classes and levels are those declared by the
# datasets it derives from (itself included), found with one graph.reachable per dataset.
# Dataset -> the inputs of the stage that writes it (none for a source; one writer at most).
predecessors := {d: {i | some i in stages[writer[d]].inputs} | some d in object.keys(datasets)}

# Outputs of a de-identification stage that declare a qualifying method: safe harbor, or an
# expert determination with its documented analysis (45 CFR 164.514(b)(1)(ii): evidence_ref).
deidentified := {d |
	some d in object.keys(writer)
	stages[writer[d]].type == "deidentification"
	qualifies(object.get(datasets[d], "deidentification", {}))
}

qualifies(declaration) if declaration.method == "safe_harbor"

qualifies(declaration) if {
	declaration.method == "expert_determination"
	object.get(declaration, "evidence_ref", "") != ""
}

# PHI does not flow into the qualifying output of a de-identification stage.
phi_predecessors := object.union(predecessors, {d: set() | some d in deidentified})

ancestors := {d: graph.reachable(predecessors, {d}) | some d in object.keys(datasets)}

phi_ancestors := {d: graph.reachable(phi_predecessors, {d}) | some d in object.keys(datasets)}

# The classes each dataset declares: its classifications, and ear for an ECCN other than EAR99
# (compared without regard to case: `ear99` is EAR99).
declared_classes := {d: classes |
	some d in object.keys(datasets)
	dataset := datasets[d]
	listed := {c | some c in object.get(dataset, "classifications", []); c in all_classes}
	classes := listed | {"ear" | d in controlling_eccn}
}

# Datasets whose ECCN puts them on the Commerce Control List (an ECCN other than EAR99).
controlling_eccn := {d |
	some d in object.keys(datasets)
	upper(object.get(datasets[d], "eccn", "EAR99")) != "EAR99"
}

declared_rank := {d: {
	"level": object.get(level_rank, object.get(datasets[d], "classification_level", ""), 0),
	"impact": object.get(impact_rank, object.get(datasets[d], "fips199_impact", ""), 0),
	"il": object.get(il_rank, object.get(datasets[d], "dod_impact_level", ""), 0),
} |
	some d in object.keys(datasets)
}

# The datasets that declare a rank or an air-gap mandate (few: most comprehensions below
# iterate their intersection with a dataset's sources, not all the sources).
ranked := {d | some d in object.keys(declared_rank); r := declared_rank[d]; (r.level + r.impact) + r.il > 0}

air_gap_declared := {d | some d in object.keys(datasets); datasets[d].requires_air_gap == true}

# Set builtins (union, intersection) do the work: each comprehension step costs several
# microseconds on the embedded engine.
dataset_facts := {d: {
	"classes": ((declared - {"phi"}) | (phi_declared & {"phi"})),
	"level": max({0} | {declared_rank[a].level | some a in ranked_sources}),
	"impact": max({0} | {declared_rank[a].impact | some a in ranked_sources}),
	"il": max({0} | {declared_rank[a].il | some a in ranked_sources}),
	"air_gap": count(sources & air_gap_declared) > 0,
} |
	some d in object.keys(datasets)
	sources := ancestors[d]
	declared := union({declared_classes[a] | some a in sources})
	phi_declared := union({declared_classes[a] | some a in phi_ancestors[d]})
	ranked_sources := sources & ranked
}

# The datasets each stage reads or writes.
stage_datasets := {s: ds |
	some s in object.keys(stages)
	stage := stages[s]
	ds := {d | some d in stage.inputs} | {d | some d in stage.outputs}
}

# handles(S, c): stage id -> each class S handles -> the datasets through which it does.
stage_classes := {s: {c: {d | some d in ds; c in dataset_facts[d].classes} | some c in handled} |
	some s in object.keys(stage_datasets)
	ds := stage_datasets[s]
	handled := union({dataset_facts[d].classes | some d in ds})
}

# Class -> the stages that handle it (a class no stage handles is no key).
stages_with_class[c] contains s if {
	some s, classes in stage_classes
	some c in object.keys(classes)
}

# level(S), impact(S), il(S): the highest rank of the datasets S handles (0 if none).
stage_ranks := {s: {
	"level": max({0} | {dataset_facts[d].level | some d in ds}),
	"impact": max({0} | {dataset_facts[d].impact | some d in ds}),
	"il": max({0} | {dataset_facts[d].il | some d in ds}),
} |
	some s in object.keys(stage_datasets)
	ds := stage_datasets[s]
}

# For organisations' rules (policies/README.md, "Writing a rule").
stages_handling(class) := object.get(stages_with_class, class, set())
