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

findings := [lib.stage_finding("HIPAA-DEID-001", stage_id, verdict(subject, phi)) |
	some stage_id in object.keys(phi_inputs)
	phi := phi_inputs[stage_id]
	subject := subjects[stage_id]
]

phi_inputs := {stage_id: inputs |
	some stage_id in object.keys(lib.stages)
	stage := lib.stages[stage_id]
	stage.type == "deidentification"
	inputs := {d | some d in stage.inputs; "phi" in lib.dataset_facts[d].classes}
	count(inputs) > 0
}

# Facts per applicable stage and output, computed in rules keyed by id (policies/README.md).
# Per output: the first defect of its deidentification declaration (none, absent, method,
# evidence), the method it declares and the path of the declaration.
checks := {d: {
	"defect": defect(dataset),
	"method": method(dataset),
	"path": ["spec", "datasets", lib.dataset_index[d], "deidentification"],
} |
	some stage_id in object.keys(phi_inputs)
	some d in lib.stages[stage_id].outputs
	dataset := lib.datasets[d]
}

# Per stage, what its verdict says: the failing outputs' problems and paths in manifest
# order (not sort(): the engines order strings with escapes differently).
subjects := {stage_id: {
	"label": lib.stage_labels[stage_id],
	"outputs": outputs,
	"problems": [problem(d, checks[d]) | some d in failing],
	"paths": [defect_path(checks[d]) | some d in failing],
	"methods": {checks[d].method | some d in outputs},
	"outputs_path": lib.stage_path(stage_id, "outputs"),
} |
	some stage_id in object.keys(phi_inputs)
	outputs := lib.stages[stage_id].outputs
	failing := [d | some d in outputs; checks[d].defect != "none"]
}

verdict(subject, phi) := {
	"failed": true,
	"message": array.concat([subject.label, " de-identifies PHI (", lib.list(phi), ")"], subject.problems),
	"path": subject.paths[0],
} if {
	count(subject.problems) > 0
}

else := {
	"failed": false,
	"message": [subject.label, " reads PHI (", lib.list(phi), ") and writes no output"],
	"path": subject.outputs_path,
} if {
	count(subject.outputs) == 0
}

else := {
	"failed": false,
	"message": [
		subject.label, " de-identifies PHI (", lib.list(phi), "); outputs (",
		lib.list(subject.outputs), ") declare ", lib.list(subject.methods), " with evidence",
	],
	"path": subject.outputs_path,
}

# What is wrong with an output's declaration. Every lookup has a defined default: a builtin
# given an undefined argument is an error on the embedded engine.
defect(dataset) := "absent" if {
	not "deidentification" in object.keys(dataset)
} else := "method" if {
	not method(dataset) in methods
} else := "evidence" if {
	evidence_ref(dataset) == ""
} else := "none"

declaration(dataset) := object.get(dataset, "deidentification", {})

method(dataset) := object.get(declaration(dataset), "method", "none")

evidence_ref(dataset) := object.get(declaration(dataset), "evidence_ref", "")

problem(d, check) := ["; output ", d, " declares no deidentification"] if check.defect == "absent"

problem(d, check) := [
	"; output ", d, " has deidentification.method ", check.method,
	", not safe_harbor or expert_determination",
] if {
	check.defect == "method"
}

problem(d, check) := ["; output ", d, " has no deidentification.evidence_ref"] if check.defect == "evidence"

defect_path(check) := check.path if check.defect == "absent"

defect_path(check) := array.concat(check.path, ["method"]) if check.defect == "method"

defect_path(check) := array.concat(check.path, ["evidence_ref"]) if check.defect == "evidence"
