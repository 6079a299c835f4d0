# METADATA
# title: EU personal data handled outside the EEA has a transfer mechanism
# description: >-
#   A stage that handles EU personal data (lineage applied) at a location outside the
#   EEA is a restricted transfer. It needs an adequacy decision for the country, DPF
#   certification of a US recipient, or every EU personal dataset it handles covered:
#   that dataset, or EU personal data it derives from, was carried into the location by
#   a transfer under standard contractual clauses or binding corporate rules, or by a
#   one-off transfer (`recurring: false`) under an Art. 49 derogation, or is a source
#   dataset the location's operator collects directly from the data subjects
#   (`collected_directly: true`), which is not a transfer (EDPB Guidelines 05/2021).
# scope: package
# custom:
#   id: GDPR-XFER-001
#   framework: gdpr
#   severity: error
#   subject: stage
#   citation: GDPR Art. 44-46, 49; EDPB Guidelines 05/2021
#   remediation: >-
#     Keep the data in the EEA or an adequate country; for a US recipient, use one
#     certified under the EU-US Data Privacy Framework (`gdpr.dpf_certified: true`);
#     otherwise declare the transfer into this location with `gdpr_mechanism: scc` or
#     `bcr` (and its transfer impact assessment in `tia_ref`), or, for a single
#     occasional transfer, `derogation` with `recurring: false`.
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

# Declared transfers that are a Chapter V basis for what they carry: SCC or BCR, or a
# one-off (recurring: false) Art. 49 derogation.
covering := {i |
	some i in object.keys(lib.gdpr_mechanisms)
	mechanism := lib.gdpr_mechanisms[i]
	covers(mechanism, lib.transfer_recurring[i])
}

covers(mechanism, _) if mechanism in safeguards

covers("derogation", false)

# Per location: the covering transfers into it.
covering_transfers := {l: {i | some i in covering; lib.transfers[i].to == l} | some l in object.keys(lib.locations)}

# Per location: the source datasets declared collected directly from the data subjects that
# a stage there reads (manifest-v1.md, collected_directly).
collected_sources := {d |
	some d in object.keys(lib.datasets)
	lib.datasets[d].collected_directly == true
	not lib.writer[d]
}

collected_at := {l: {d |
	some s in object.keys(lib.stages)
	lib.stages[s].location == l
	some d in lib.stages[s].inputs
	d in collected_sources
} |
	some l in object.keys(lib.locations)
}

# Per stage: the covering transfers into its location that carry its EU personal data.
safeguarded := {s: {i |
	some i in covering_transfers[lib.stages[s].location]
	some d in lib.transfers[i].datasets
	d in the_data[s]
} |
	some s in lib.gdpr_stages
}

# Per stage: its EU personal data collected directly at its location.
collected := {s: {d | some d in collected_at[lib.stages[s].location]; d in the_data[s]} |
	some s in lib.gdpr_stages
}

# Per stage: the EU personal datasets it handles that nothing covers. A dataset is covered
# when it, or EU personal data it was derived from, arrived under a covering transfer or
# was collected directly there: one covered dataset does not cover another, and data that
# is not EU personal data carried by the same transfer covers nothing.
uncovered := {s: {d | some d in own; count(lib.ancestors[d] & bases) == 0} |
	some s in lib.gdpr_stages
	own := eu_data[s]
	arrived := {d | some i in safeguarded[s]; some d in lib.transfers[i].datasets; d in the_data[s]}
	bases := arrived | collected[s]
}

# Per GDPR stage, what its verdict says.
subjects := {s: {
	"label": lib.handles_labels[s].eu_personal,
	"safeguarded": ids,
	"bases": array.concat(
		[[lib.transfer_labels[i], " (gdpr_mechanism ", lib.gdpr_mechanisms[i], ")"] | some i in ids],
		[["dataset ", d, " (collected_directly)"] | some d in collected[s]],
	),
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
	"message": [subject.label, "; it is covered by ", lib.list(subject.bases)],
	"path": lib.transfer_path(lib.smallest(subject.safeguarded), "gdpr_mechanism"),
} if {
	count(subject.safeguarded) > 0
	count(subject.uncovered) == 0
}

else := {
	"failed": false,
	"message": [subject.label, "; it is covered by ", lib.list(subject.bases)],
	"path": lib.location_path(loc.id, "country"),
} if {
	count(subject.uncovered) == 0
}

else := {
	"failed": true,
	"message": [
		subject.label, "; ", loc.country,
		" is outside the EEA and has no EU adequacy decision", adequacy_note, dpf_note(loc),
		"; nothing covers ", lib.list(subject.uncovered), " (no transfer into ", loc.id,
		" under scc, bcr or a one-off derogation, and not collected directly there)",
	],
	"path": lib.location_path(loc.id, "country"),
}

dpf_note(loc) := "; the US operator is not DPF-certified (gdpr.dpf_certified is false)" if loc.country == "US"

else := ""
