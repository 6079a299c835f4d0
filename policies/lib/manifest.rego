# METADATA
# title: Manifest access with the defaults of manifest-v1.md applied
# description: >-
#   Objects keyed by id, so every rule reads the same normalised view of the input
#   and no rule re-implements a default.
# scope: package
# custom:
#   library: true
package tdcheck.lib

import rego.v1

org := data.tdcheck.org

# The date rules are judged at: set by the checker (--as-of), never the wall clock.
# regal ignore:leaked-internal-reference
as_of := input._tdcheck.as_of

datasets := {d.id: d | some d in input.spec.datasets}

dataset_index := {d.id: i | d := input.spec.datasets[i]}

location_index := {l.id: i | l := input.spec.locations[i]}

stage_index := {s.id: i | s := input.spec.stages[i]}

locations := {l.id: object.union_n([location_defaults(l), l, nested_location_fields(l)]) |
	some l in input.spec.locations
}

stages := {s.id: object.union({"inputs": [], "outputs": []}, s) | some s in input.spec.stages}

transfers := object.get(input.spec, "transfers", [])

# Defaults of the nested objects (personnel, access_control, gdpr) are merged field by
# field: object.union is not recursive on the embedded engine, so a partial
# `personnel: {us_persons_only: true}` would lose the default clearance there.
nested_location_defaults := {
	"personnel": {"us_persons_only": false, "us_citizens_only": false, "clearance": "none"},
	"access_control": {"unique_user_ids": false, "mfa": false},
	"gdpr": {"dpf_certified": false},
}

nested_location_fields(l) := {
	"personnel": object.union(nested_location_defaults.personnel, object.get(l, "personnel", {})),
	"access_control": object.union(nested_location_defaults.access_control, object.get(l, "access_control", {})),
	"gdpr": object.union(nested_location_defaults.gdpr, object.get(l, "gdpr", {})),
}

location_defaults(l) := {
	"operator": default_operator(l.kind),
	"tenancy": default_tenancy(l.kind),
	"service_model": "iaas",
	"air_gapped": false,
	"network": default_network(l),
	"hipaa_baa": false,
	"fedramp_moderate_equivalent": false,
	"encryption_at_rest": "none",
	"fips_140": "none",
	"audit_logging": false,
}

default_operator("on_premises") := "self"

default_operator(kind) := "third_party" if kind != "on_premises"

default_tenancy(kind) := "multi_tenant" if kind in {"public_cloud", "government_cloud"}

default_tenancy(kind) := "dedicated" if not kind in {"public_cloud", "government_cloud"}

default_network(l) := "none" if l.air_gapped == true

default_network(l) := "internet" if not l.air_gapped == true

third_party(loc) if loc.operator == "third_party"

cloud(loc) if loc.kind in {"public_cloud", "government_cloud"}

cloud(loc) if {
	loc.kind == "private_cloud"
	third_party(loc)
}

us_countries := {"US", "PR", "GU", "VI", "AS", "MP", "UM"}

us(loc) if loc.country in us_countries

storage_types := {"checkpointing", "artifact_storage", "model_registry"}

storage(stage) if stage.type in storage_types

# 22 CFR 120.54(a)(5)(i)-(iii): storing unclassified data encrypted end to end with validated
# modules is not an export. level(S) is looked up through a local (README, "Speed").
carve_out(stage, loc) if {
	storage(stage)

	# regal ignore:pointless-reassignment
	id := stage.id
	stage_ranks[id].level == 0
	loc.encryption_at_rest == "client_side"
	loc.fips_140 != "none"
}

# FedRAMP's 2026 consolidated rules call an authorisation a certification: both count.
fedramp_authorised_statuses := {"authorized", "certified"}

# Stage id -> the location it runs at (defaults applied).
stage_location := {s: locations[stages[s].location] | some s in object.keys(stages)}

# Inside a function, index a rule with a local variable, never with the parameter itself:
# on the embedded engine `location_index[loc_id]` scans the whole rule for the key, while
# `id := loc_id; location_index[id]` is a direct lookup (policies/README.md, "Speed").
location_path(loc_id, field) := ["spec", "locations", i, field] if {
	# regal ignore:pointless-reassignment
	id := loc_id
	i := location_index[id]
}

stage_path(stage_id, field) := ["spec", "stages", i, field] if {
	# regal ignore:pointless-reassignment
	id := stage_id
	i := stage_index[id]
}

transfer_path(i, field) := ["spec", "transfers", i, field]

# For organisations' rules (policies/README.md, "Writing a rule"); built-in rules read
# stage_location[stage_id] in their bodies.
location_of(stage_id) := loc if {
	# regal ignore:pointless-reassignment
	id := stage_id
	loc := stage_location[id]
}

# Messages are arrays of fragments that the checker joins: strings as they are, numbers and
# booleans as JSON, a nested array as its own fragments, {"list": [...]} as a comma-separated
# list. Building the text in Rego is not portable: the embedded engine (regopy) wraps strings
# made by sprintf and concat in quotes in some evaluation paths, OPA does not.
stage_labels := {s: ["stage ", s, " at ", loc.id, " (", loc.country, ")"] |
	some s in object.keys(stage_location)
	loc := stage_location[s]
}

list(values) := {"list": sort([v | some v in values])}

class_label := {
	"public": "public data",
	"internal": "internal data",
	"pii": "PII",
	"phi": "PHI",
	"cui": "CUI",
	"itar": "ITAR data",
	"ear": "EAR data",
	"eu_personal": "EU personal data",
}

# The classes whose rules name them in a message ("handles PHI"): HIPAA, CUI, ITAR, EAR
# and GDPR apply where a stage handles one of them.
labelled_classes := {"phi", "cui", "itar", "ear", "eu_personal"}

# "stage train at cloud (US) handles PHI (records)": the fact that made a rule apply, per
# stage and labelled class it handles.
handles_labels := {s: {c: [label, " handles ", class_label[c], " (", list(classes[c]), ")"] |
	some c in object.keys(classes)
	c in labelled_classes
} |
	some s in object.keys(stage_classes)
	classes := stage_classes[s]
	label := stage_labels[s]
}
