# METADATA
# title: A de-identification stage declares a HIPAA method and its evidence
# description: >-
#   Health information is de-identified only by the Safe Harbor method (the 18
#   identifiers removed, no actual knowledge) or by an expert determination, each
#   documented. A limited data set, or data with identifiers merely masked, is still
#   PHI. Every output of a de-identification stage that reads PHI declares one of the
#   two methods and a reference to its evidence.
# scope: package
# custom:
#   id: HIPAA-DEID-001
#   framework: hipaa
#   severity: warning
#   subject: stage
#   citation: 45 CFR 164.514(a)-(b)
#   remediation: >-
#     On each output dataset of this stage set `deidentification.method` to
#     safe_harbor or expert_determination and `deidentification.evidence_ref` to the
#     document that shows it (identifier-removal checklist, expert determination
#     report). If the output is not de-identified (a limited data set, pseudonymised
#     data), it is PHI: treat it as such downstream.
package tdcheck.rules.hipaa_deid_001

import data.tdcheck.lib
import rego.v1

methods := {"safe_harbor", "expert_determination"}

findings contains lib.stage_finding("HIPAA-DEID-001", stage_id, verdict(stage_id, phi)) if {
	some stage_id, phi in phi_inputs
}

# Facts per applicable stage, computed in rules: the embedded engine mishandles function
# parameters inside comprehensions (policies/README.md).
phi_inputs := {stage_id: inputs |
	stage := lib.stages[stage_id]
	stage.type == "deidentification"
	inputs := {d | some d in stage.inputs; "phi" in lib.dataset_facts[d].classes}
	count(inputs) > 0
}

outputs := {stage_id: lib.stages[stage_id].outputs | some stage_id in object.keys(phi_inputs)}

failing := {stage_id: ids |
	some stage_id in object.keys(phi_inputs)

	# Manifest order, not sort(): the engines order strings with escapes differently.
	ids := [d | some d in outputs[stage_id]; not qualifies(d)]
}

problems := {stage_id: texts |
	some stage_id in object.keys(phi_inputs)
	texts := [problem(d) | some d in failing[stage_id]]
}

declared_methods := {stage_id: methods |
	some stage_id in object.keys(phi_inputs)
	methods := {method(d) | some d in outputs[stage_id]}
}

verdict(stage_id, phi) := {
	"failed": true,
	"message": array.concat(
		[lib.stage_label(stage_id), " de-identifies PHI (", lib.list(phi), ")"],
		problems[stage_id],
	),
	"path": path(failing[stage_id][0]),
} if {
	count(failing[stage_id]) > 0
}

else := {
	"failed": false,
	"message": [lib.stage_label(stage_id), " reads PHI (", lib.list(phi), ") and writes no output"],
	"path": lib.stage_path(stage_id, "outputs"),
} if {
	count(outputs[stage_id]) == 0
}

else := {
	"failed": false,
	"message": [
		lib.stage_label(stage_id), " de-identifies PHI (", lib.list(phi), "); outputs (",
		lib.list(outputs[stage_id]), ") declare ", lib.list(declared_methods[stage_id]), " with evidence",
	],
	"path": lib.stage_path(stage_id, "outputs"),
}

qualifies(d) if defect(d) == "none"

# What is wrong with an output's declaration. Every lookup has a defined default: a builtin
# given an undefined argument is an error on the embedded engine.
defect(d) := "absent" if {
	not "deidentification" in object.keys(lib.datasets[d])
} else := "method" if {
	not method(d) in methods
} else := "evidence" if {
	evidence_ref(d) == ""
} else := "none"

declaration(d) := object.get(lib.datasets[d], "deidentification", {})

method(d) := object.get(declaration(d), "method", "none")

evidence_ref(d) := object.get(declaration(d), "evidence_ref", "")

problem(d) := ["; output ", d, " declares no deidentification"] if defect(d) == "absent"

problem(d) := [
	"; output ", d, " has deidentification.method ", method(d),
	", not safe_harbor or expert_determination",
] if {
	defect(d) == "method"
}

problem(d) := ["; output ", d, " has no deidentification.evidence_ref"] if defect(d) == "evidence"

path(d) := dataset_path(d, []) if defect(d) == "absent"

path(d) := dataset_path(d, ["method"]) if defect(d) == "method"

path(d) := dataset_path(d, ["evidence_ref"]) if defect(d) == "evidence"

dataset_path(d, rest) := array.concat(["spec", "datasets", lib.dataset_index[d], "deidentification"], rest)
