# Export control - facts shared by the ITAR and EAR rules
# The encryption carve-out (carve_out in manifest.rego: 22 CFR 120.54(a)(5), and its EAR
# twin 15 CFR 734.18(a)(5)) as message fragments: why it holds for a (stage, location),
# or the first condition it misses. `cite` names the regulation in the message.
package tdcheck.lib

import rego.v1

# "stage type checkpointing only stores the unclassified data, encrypted client_side with FIPS 140-3 ..."
carve_out_label(stage, loc, cite) := [
	"stage type ", stage.type, " only stores the unclassified data, encrypted client_side with FIPS ",
	loc.fips_140, " validated modules (carve-out of ", cite, ")",
]

carve_out_gap(stage, loc, cite) := [
	"stage type ", stage.type, " processes the data in the clear (the carve-out of ",
	cite, " covers storage only)",
] if {
	not storage(stage)
} else := gap if {
	# regopy scans a rule looked up by a parameter: a local first (policies/README.md)
	# regal ignore:pointless-reassignment
	id := stage.id
	level := stage_ranks[id].level
	level > 0
	gap := ["the data is ", level_name[level], " (carve-out of ", cite, " is for unclassified data only)"]
} else := [
	"encryption_at_rest is ", loc.encryption_at_rest, ", not client_side, so the data is not encrypted ",
	"end to end (carve-out of ", cite, ")",
] if {
	loc.encryption_at_rest != "client_side"
} else := [
	"fips_140 is none, so no validated cryptographic modules protect it (carve-out of ", cite, ")",
]

# Dated reference lists (rules-v1.md, Terms): an entry is a country code, or
# {country, suspended: [{from, until, source}]}; on the evaluation date (as_of) an entry
# inside one of its suspensions is not on the list (22 CFR 126.1(r): Cyprus).
itar_126_1 := data.tdcheck.reference.itar_126_1

ear_d5 := data.tdcheck.reference.ear_d5

itar_126_1_countries := {c | some entry in itar_126_1.countries; c := listed_country(entry)}

ear_d5_countries := {c | some entry in ear_d5.countries; c := listed_country(entry)}

# Country -> the suspensions in force on the evaluation date (only suspended entries), for messages.
itar_126_1_suspended := {entry.country: active |
	some entry in itar_126_1.countries
	is_object(entry)
	active := [s | some s in object.get(entry, "suspended", []); s.from <= as_of; as_of <= s.until]
	count(active) > 0
}

ear_d5_suspended := {entry.country: active |
	some entry in ear_d5.countries
	is_object(entry)
	active := [s | some s in object.get(entry, "suspended", []); s.from <= as_of; as_of <= s.until]
	count(active) > 0
}

listed_country(entry) := entry if is_string(entry)

listed_country(entry) := entry.country if {
	is_object(entry)
	not suspended_now(entry)
}

suspended_now(entry) if {
	some s in object.get(entry, "suspended", [])
	s.from <= as_of
	as_of <= s.until
}

# "; its entry is suspended from 2025-10-01 until 2026-09-30 (22 CFR 126.1(r)...) on 2026-06-01"
suspension_note(active) := [
	"; its entry is suspended from ", s.from, " until ", s.until, " on the evaluation date ", as_of,
] if {
	s := active[0]
}

# EAR technology or software: datasets declaring an ECCN whose second character is D
# (software) or E (technology), e.g. 5D002, 9E003 (15 CFR 774 Supp. 1, CCL structure).
# A character class after a digit, not character arithmetic: the embedded engine sees
# strings with escapes in their escaped form (policies/README.md).
ear_technology_datasets := {d |
	some d in object.keys(datasets)
	regex.match(`^[0-9][DdEe]`, object.get(datasets[d], "eccn", ""))
}

# Stage -> the datasets it handles that are, or derive from, EAR technology or software
# (stages that handle none are no key): the subjects of EAR-PER-001.
stage_ear_technology := {s: handled |
	some s in object.keys(stage_datasets)
	handled := {d | some d in stage_datasets[s]; count(ancestors[d] & ear_technology_datasets) > 0}
	count(handled) > 0
}
