# METADATA
# title: Large-model training on premises has the accelerators it needs
# description: >-
#   Pretraining a model of tens of billions of parameters takes thousands of accelerators
#   (Llama 3 70B: 6.4M H100 GPU-hours, about 130 days on 2,048 GPUs). A training stage of
#   a large model (`spec.model.parameters_b` at or above org.large_model_parameters_b) at
#   an on-premises or colocation location with fewer than
#   org.min_pretraining_accelerators accelerators will take months, or not fit.
# scope: package
# custom:
#   id: ADV-SCALE-001
#   framework: advisory
#   severity: advisory
#   subject: stage
#   citation: Meta Llama 3 model card (training compute); organisation thresholds
#   remediation: >-
#     Burst the training stage to a cloud location with enough accelerators, reduce the
#     model size, or record the location's real accelerator count in `accelerators`.
package tdcheck.rules.advisory_scale_001

import data.tdcheck.lib
import rego.v1

findings := [lib.stage_finding("ADV-SCALE-001", stage_id, verdict(label, loc)) |
	some stage_id in object.keys(lib.stages)
	stage := lib.stages[stage_id]
	stage.type == "training"
	loc := lib.locations[stage.location]
	lib.self_hosted(loc)
	label := lib.stage_labels[stage_id]
]

model_params := input.spec.model.parameters_b

large_model if model_params >= lib.org.large_model_parameters_b

enough_accelerators(loc) if loc.accelerators >= lib.org.min_pretraining_accelerators

accelerators(loc) := object.get(loc, "accelerators", "not declared")

verdict(label, loc) := {
	"failed": true,
	"message": [
		label, " trains a ", model_params, "B-parameter model (large from ",
		lib.org.large_model_parameters_b, "B) on ", loc.kind, " with accelerators ", accelerators(loc),
		", below ", lib.org.min_pretraining_accelerators, ": scale is unavailable on premises, consider a cloud burst",
	],
	"path": lib.location_path(loc.id, "accelerators"),
} if {
	large_model
	not enough_accelerators(loc)
}

else := {
	"failed": false,
	"message": [
		label, " trains a ", model_params, "B-parameter model on ", accelerators(loc),
		" accelerators (at least ", lib.org.min_pretraining_accelerators, ")",
	],
	"path": lib.location_path(loc.id, "accelerators"),
} if {
	large_model
}

else := {
	"failed": false,
	"message": [
		label, " trains a ", model_params, "B-parameter model, below the large-model threshold of ",
		lib.org.large_model_parameters_b, "B",
	],
	"path": ["spec", "model", "parameters_b"],
} if {
	model_params
}

else := {
	"failed": false,
	"message": [label, " trains a model whose size is not declared (spec.model.parameters_b)"],
	"path": ["spec", "model"],
}
