# METADATA
# title: Placement facts for tdcheck advise
# description: >-
#   What `tdcheck advise` needs beside the findings, computed from the same library the
#   rules use: the movements each stage's placement implies, each location's category
#   (cloud, on premises, air-gapped), the architecture the placement amounts to, and the
#   organisation's cost and scale thresholds. It is not a rule: it answers only when the
#   checker sets input._tdcheck.advise (advise does, `check` never does, and a manifest
#   cannot: the checker replaces `_tdcheck`), so a check sees nothing from it. It lives
#   under data.tdcheck.rules because the engines query one entry point,
#   data.tdcheck.main.findings; its facts carry an `advise` key instead of a rule_id.
# scope: package
# custom:
#   library: true
package tdcheck.rules.advise

import data.tdcheck.lib
import rego.v1

# regal ignore:leaked-internal-reference
requested if input._tdcheck.advise == true

findings contains {
	"advise": "placement",
	"stage": stage_id,
	"location": stage.location,
	"movements": movements,
} if {
	requested
	some stage_id, stage in lib.stages
	movements := placement_movements[stage_id]
}

findings contains {
	"advise": "location",
	"location": loc_id,
	"kind": loc.kind,
	"country": loc.country,
	"category": location_category,
} if {
	requested
	some loc_id, loc in lib.locations
	location_category := category[loc_id]
}

findings contains {
	"advise": "architecture",
	"architecture": architecture,
	"locations": sort(used_locations),
	"thresholds": thresholds,
} if {
	requested
}

# The movements a stage's placement implies: its inputs arriving where it runs, its
# outputs leaving it for their readers (declared or implied, lineage applied). A rule keyed
# by stage: the embedded engine loses function parameters inside comprehensions.
# The movements a stage takes part in: the data it reads arriving, the data it writes leaving
# (never both for one movement: from != to). No function call per (stage, movement) pair:
# calls are the dear part of an evaluation on the embedded engine.
placement_movements := {stage_id: sort(array.concat(arriving, leaving)) |
	requested
	some stage_id in object.keys(lib.stages)
	stage := lib.stages[stage_id]
	arriving := [view(m) | some m in lib.movements; m.to == stage.location; m.dataset in stage.inputs]
	leaving := [view(m) | some m in lib.movements; m.from == stage.location; m.dataset in stage.outputs]
}

view(m) := {"from": m.from, "to": m.to, "datasets": [m.dataset]}

# cloud(L) of rules-v1.md; an air-gapped location is its own category whatever its kind.
category := {loc_id: location_category(loc) | requested; some loc_id, loc in lib.locations}

location_category(loc) := "air_gapped" if {
	loc.air_gapped == true
} else := "cloud" if {
	lib.cloud(loc)
} else := "on_premises"

used_locations := {stage.location | some stage in lib.stages}

used_categories := {category[loc_id] | some loc_id in used_locations}

# The architecture the placement amounts to (the source document's categories): cloud and
# anything else is hybrid; air-gapped only when every stage runs air-gapped; on premises
# otherwise (an air-gapped enclave beside a data centre is still on premises).
default architecture := "on_premises"

architecture := "hybrid" if {
	"cloud" in used_categories
	count(used_categories) > 1
} else := "cloud" if {
	"cloud" in used_categories
} else := "air_gapped" if {
	used_categories == {"air_gapped"}
}

thresholds := {
	"breakeven_utilization_pct": lib.org.breakeven_utilization_pct,
	"large_model_parameters_b": lib.org.large_model_parameters_b,
	"min_pretraining_accelerators": lib.org.min_pretraining_accelerators,
}
