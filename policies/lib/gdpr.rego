# GDPR Chapter V - the EEA, adequacy decisions and transfers of EU personal data
# Reference lists are dated policy data (data.tdcheck.reference.eea, .eu_adequacy).
# GDPR applies where a stage handles eu_personal data at a location outside the EEA;
# the movement rules judge the declared transfers that carry such data out of the EEA.
package tdcheck.lib

import rego.v1

eea := data.tdcheck.reference.eea

eu_adequacy := data.tdcheck.reference.eu_adequacy

eea_countries := {c | some c in eea.countries}

adequacy_countries := {c | some c in eu_adequacy.countries}

outside_eea(loc) if not loc.country in eea_countries

# handles(S, eu_personal) at a location outside the EEA: the subjects of GDPR-XFER-001.
gdpr_stages contains s if {
	some s in stages_with_class.eu_personal
	outside_eea(stage_location[s])
}

# The datasets of each transfer (by index) that are EU personal data (lineage applied).
transfer_eu_personal_datasets := {i: {d | some d in t.datasets; "eu_personal" in dataset_facts[d].classes} |
	t := transfers[i]
}

# Transfers carrying EU personal data to a location outside the EEA.
gdpr_transfers contains i if {
	some i, t in transfers
	outside_eea(locations[t.to])
	count(transfer_eu_personal_datasets[i]) > 0
}

gdpr_mechanisms := {i: object.get(t, "gdpr_mechanism", "none") | t := transfers[i]}

# "transfer x carries EU personal data (records) from dc (DE) to us-cloud (US)"
gdpr_transfer_labels := {i: [
	transfer_labels[i], " carries EU personal data (", list(transfer_eu_personal_datasets[i]), ") from ",
	t.from, " (", locations[t.from].country, ") to ", t.to, " (", locations[t.to].country, ")",
] |
	some i in gdpr_transfers
	t := transfers[i]
}
