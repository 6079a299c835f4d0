# Hybrid boundary - movements and declared transfers of regulated data
# regulated(d) (rules-v1.md): an effective class other than public/internal, or a
# classification level above unclassified, lineage applied (an `internal` model trained on
# PII is regulated). HYB-DECL-001 judges every movement of such a dataset; HYB-ENC-001 and
# HYB-NET-001 every declared transfer carrying one. Facts are rules keyed by id, looked up
# in rule bodies (policies/README.md, "Speed").
package tdcheck.lib

import rego.v1

# Why each regulated dataset is regulated, for messages: its regulated classes and its level
# above unclassified, as manifests write them (`phi`, `secret`). Only regulated datasets are
# keys: `regulated_reasons[d]` is regulated(d).
regulated_reasons := {d: reasons |
	some d in object.keys(dataset_facts)
	facts := dataset_facts[d]
	classes := {c | some c in facts.classes; c in regulated_classes}
	levels := {level_name[facts.level] | facts.level > 0}
	reasons := classes | levels
	count(reasons) > 0
}

# Transfer index -> the regulated datasets it carries (empty set if none).
transfer_regulated_datasets := {i: {d | some d in t.datasets; regulated_reasons[d]} | t := transfers[i]}

regulated_transfers := {i |
	some i in object.keys(transfer_regulated_datasets)
	count(transfer_regulated_datasets[i]) > 0
}

transfer_regulated_reasons := {i: union({regulated_reasons[d] | some d in ds}) |
	some i in object.keys(transfer_regulated_datasets)
	ds := transfer_regulated_datasets[i]
}

# "transfer features-up from dc (US) to cloud (US) carries regulated data (features: pii)"
regulated_transfer_labels := {i: [
	transfer_labels[i], " from ", t.from, " (", locations[t.from].country, ") to ",
	t.to, " (", locations[t.to].country, ") carries regulated data (",
	list(transfer_regulated_datasets[i]), ": ", list(transfer_regulated_reasons[i]), ")",
] |
	some i in regulated_transfers
	t := transfers[i]
}

# rules-v1.md, Terms: a movement no transfer covers fails every rule that looks at the
# transfer's channel or encryption, and HYB-DECL-001 says why.
undeclared_regulated_movements := [record |
	some record in movement_records
	not record.declared
	regulated_reasons[record.movement.dataset]
]

undeclared_verdict(record, field) := {
	"failed": true,
	"message": [
		"regulated data (", list(reasons), "): ", record.label,
		" is covered by no declared transfer, so its ", field, " is unknown",
	],
	"path": record.path,
} if {
	reasons := regulated_reasons[record.movement.dataset]
}
