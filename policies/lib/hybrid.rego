# Hybrid boundary - movements and declared transfers of regulated data
# regulated(d) (lineage.rego) is rules-v1.md's regulated(d): an effective class other
# than public/internal, or a classification level above unclassified, lineage applied
# (an `internal` model trained on PII is regulated). HYB-DECL-001 judges every movement
# of such a dataset; HYB-ENC-001 and HYB-NET-001 every declared transfer carrying one.
# Facts are rules indexed by the functions, never comprehensions over function
# parameters (policies/README.md).
package tdcheck.lib

import rego.v1

regulated_movements := {m | some m in movements; regulated(m.dataset)}

# Transfer index -> the regulated datasets it carries (empty set if none).
transfer_regulated_datasets := {i: {d | some d in t.datasets; regulated(d)} | t := transfers[i]}

regulated_transfers := {i |
	some i in object.keys(transfer_regulated_datasets)
	count(transfer_regulated_datasets[i]) > 0
}

regulated_datasets(i) := transfer_regulated_datasets[i]

regulated_transfer(i) if i in regulated_transfers

# Why a dataset is regulated, for messages: its regulated classes and its level above
# unclassified, as manifests write them (`phi`, `secret`).
dataset_regulated_reasons := {d: reasons |
	facts := dataset_facts[d]
	classes := {c | some c in facts.classes; c in regulated_classes}
	levels := {level_name[facts.level] | facts.level > 0}
	reasons := classes | levels
}

regulated_reasons(d) := dataset_regulated_reasons[d]

transfer_regulated_reasons := {i: union({dataset_regulated_reasons[d] | some d in ds}) |
	ds := transfer_regulated_datasets[i]
}

# "transfer features-up from dc (US) to cloud (US) carries regulated data (features: pii)"
regulated_transfer_label(i) := [
	transfer_label(i), " from ", t.from, " (", locations[t.from].country, ") to ",
	t.to, " (", locations[t.to].country, ") carries regulated data (",
	list(transfer_regulated_datasets[i]), ": ", list(transfer_regulated_reasons[i]), ")",
] if {
	t := transfers[i]
}

# rules-v1.md, Terms: a movement no transfer covers fails every rule that looks at the
# transfer's channel or encryption, and HYB-DECL-001 says why.
undeclared_regulated_movements := {m | some m in regulated_movements; not declared(m)}

undeclared_verdict(m, field) := {
	"failed": true,
	"message": [
		"regulated data (", list(regulated_reasons(m.dataset)), "): ", movement_label(m),
		" is covered by no declared transfer, so its ", field, " is unknown",
	],
	"path": movement_path(m),
}
