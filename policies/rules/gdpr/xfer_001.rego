# METADATA
# title: EU personal data handled outside the EEA has a transfer mechanism
# description: >-
#   A stage that handles EU personal data (lineage applied) at a location outside the
#   EEA is a restricted transfer. It needs an adequacy decision for the country, DPF
#   certification of a US recipient, or a transfer into the location carrying the data
#   under standard contractual clauses or binding corporate rules.
# scope: package
# custom:
#   id: GDPR-XFER-001
#   framework: gdpr
#   severity: error
#   subject: stage
#   citation: GDPR Art. 44-46
#   remediation: >-
#     Keep the data in the EEA or an adequate country; for a US recipient, use one
#     certified under the EU-US Data Privacy Framework (`gdpr.dpf_certified: true`);
#     otherwise declare the transfer into this location with `gdpr_mechanism: scc` or
#     `bcr` (and its transfer impact assessment in `tia_ref`).
package tdcheck.rules.gdpr_xfer_001

import data.tdcheck.lib
import rego.v1

findings contains lib.stage_finding("GDPR-XFER-001", stage_id, verdict(stage_id, lib.location_of(stage_id))) if {
	some stage_id in lib.gdpr_stages
}

safeguards := {"scc", "bcr"}

# Dataset -> the inputs of the stage that writes it.
predecessors[d] := {i | some s in lib.stages; d in s.outputs; some i in s.inputs} if some d in object.keys(lib.datasets)

# The EU personal data a stage handles and the EU personal data it was derived from: a
# transfer of the raw records under SCC also covers the model trained on them there.
# Rules keyed by stage, not functions: the embedded engine mishandles function parameters
# inside comprehensions (policies/README.md).
the_data := {s: {d |
	some d in graph.reachable(predecessors, lib.class_datasets(s, "eu_personal"))
	"eu_personal" in lib.dataset_facts[d].classes
} |
	some s in lib.gdpr_stages
}

# Per stage: the transfers into its location that carry that data under SCC or BCR.
safeguarded := {s: {i |
	# not `some i, t in`: a parse error inside comprehensions on the embedded engine
	t := lib.transfers[i]
	t.to == lib.stages[s].location
	lib.gdpr_mechanism(i) in safeguards
	some d in t.datasets
	d in the_data[s]
} |
	some s in lib.gdpr_stages
}

# Per stage: the EU personal datasets it handles that no such transfer covers. A dataset
# is covered when it, or EU personal data it was derived from, arrived under SCC or BCR:
# one safeguarded dataset does not cover another.
uncovered := {s: {d | some d in lib.class_datasets(s, "eu_personal"); not covered(s, d)} |
	some s in lib.gdpr_stages
}

covered(stage_id, d) if {
	some source in graph.reachable(predecessors, {d})
	some i in safeguarded[stage_id]
	source in lib.transfers[i].datasets
}

# For messages; a rule because a comprehension over safeguarded[stage_id] inside the
# function loses the parameter on the embedded engine.
safeguard_labels := {s: {mechanism_label(i) | some i in ids} | ids := safeguarded[s]}

adequacy_note := [" (EU adequacy list as of ", lib.eu_adequacy.as_of, ")"]

verdict(stage_id, loc) := {
	"failed": false,
	"message": [
		lib.handles_label(stage_id, "eu_personal"), "; ", loc.country,
		" has an EU adequacy decision", adequacy_note,
	],
	"path": lib.location_path(loc.id, "country"),
} if {
	loc.country in lib.adequacy_countries
}

else := {
	"failed": false,
	"message": [
		lib.handles_label(stage_id, "eu_personal"),
		"; the US operator is certified under the EU-US Data Privacy Framework",
	],
	"path": array.concat(lib.location_path(loc.id, "gdpr"), ["dpf_certified"]),
} if {
	loc.country == "US"
	loc.gdpr.dpf_certified == true
}

else := {
	"failed": false,
	"message": [
		lib.handles_label(stage_id, "eu_personal"), "; it arrives over ",
		lib.list(safeguard_labels[stage_id]),
	],
	"path": lib.transfer_path(lib.smallest(safeguarded[stage_id]), "gdpr_mechanism"),
} if {
	count(safeguarded[stage_id]) > 0
	count(uncovered[stage_id]) == 0
}

else := {
	"failed": true,
	"message": [
		lib.handles_label(stage_id, "eu_personal"), "; ", loc.country,
		" is outside the EEA and has no EU adequacy decision", adequacy_note, dpf_note(loc),
		"; no transfer into ", loc.id, " under scc or bcr covers ", lib.list(uncovered[stage_id]),
	],
	"path": lib.location_path(loc.id, "country"),
}

dpf_note(loc) := "; the US operator is not DPF-certified (gdpr.dpf_certified is false)" if loc.country == "US"

else := ""

mechanism_label(i) := [lib.transfer_label(i), " (gdpr_mechanism ", lib.gdpr_mechanism(i), ")"]
