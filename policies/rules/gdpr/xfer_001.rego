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

findings := [lib.stage_finding("GDPR-XFER-001", stage_id, verdict(subject, lib.stage_location[stage_id])) |
	some stage_id in object.keys(subjects)
	subject := subjects[stage_id]
]

safeguards := {"scc", "bcr"}

# Per GDPR stage: the EU personal data it handles.
eu_data := {s: lib.stage_classes[s].eu_personal | some s in lib.gdpr_stages}

# The EU personal data a stage handles and the EU personal data it was derived from: a
# transfer of the raw records under SCC also covers the model trained on them there.
the_data := {s: {d | some d in derived; "eu_personal" in lib.dataset_facts[d].classes} |
	some s in lib.gdpr_stages
	own := eu_data[s]
	derived := union({lib.ancestors[e] | some e in own})
}

# Per location: the transfers into it under SCC or BCR.
safeguard_transfers := {l: {i |
	# not `some i, t in`: a parse error inside comprehensions on the embedded engine
	t := lib.transfers[i]
	t.to == l
	lib.gdpr_mechanisms[i] in safeguards
} |
	some l in object.keys(lib.locations)
}

# Per stage: the transfers into its location that carry that data under SCC or BCR.
safeguarded := {s: {i |
	some i in safeguard_transfers[lib.stages[s].location]
	some d in lib.transfers[i].datasets
	d in the_data[s]
} |
	some s in lib.gdpr_stages
}

# Per stage: the EU personal datasets it handles that no such transfer covers. A dataset
# is covered when it, or EU personal data it was derived from, arrived under SCC or BCR:
# one safeguarded dataset does not cover another.
uncovered := {s: {d | some d in own; count(lib.ancestors[d] & arrived) == 0} |
	some s in lib.gdpr_stages
	own := eu_data[s]
	ids := safeguarded[s]
	arrived := {d | some i in ids; some d in lib.transfers[i].datasets}
}

# Per GDPR stage, what its verdict says.
subjects := {s: {
	"label": lib.handles_labels[s].eu_personal,
	"safeguarded": ids,
	"safeguards": {[lib.transfer_labels[i], " (gdpr_mechanism ", lib.gdpr_mechanisms[i], ")"] | some i in ids},
	"uncovered": uncovered[s],
} |
	some s in lib.gdpr_stages
	ids := safeguarded[s]
}

adequacy_note := [" (EU adequacy list as of ", lib.eu_adequacy.as_of, ")"]

verdict(subject, loc) := {
	"failed": false,
	"message": [subject.label, "; ", loc.country, " has an EU adequacy decision", adequacy_note],
	"path": lib.location_path(loc.id, "country"),
} if {
	loc.country in lib.adequacy_countries
}

else := {
	"failed": false,
	"message": [subject.label, "; the US operator is certified under the EU-US Data Privacy Framework"],
	"path": array.concat(lib.location_path(loc.id, "gdpr"), ["dpf_certified"]),
} if {
	loc.country == "US"
	loc.gdpr.dpf_certified == true
}

else := {
	"failed": false,
	"message": [subject.label, "; it arrives over ", lib.list(subject.safeguards)],
	"path": lib.transfer_path(lib.smallest(subject.safeguarded), "gdpr_mechanism"),
} if {
	count(subject.safeguarded) > 0
	count(subject.uncovered) == 0
}

else := {
	"failed": true,
	"message": [
		subject.label, "; ", loc.country,
		" is outside the EEA and has no EU adequacy decision", adequacy_note, dpf_note(loc),
		"; no transfer into ", loc.id, " under scc or bcr covers ", lib.list(subject.uncovered),
	],
	"path": lib.location_path(loc.id, "country"),
}

dpf_note(loc) := "; the US operator is not DPF-certified (gdpr.dpf_certified is false)" if loc.country == "US"

else := ""
