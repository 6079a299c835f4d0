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
} else := [
	"the data is ", level_name[stage_ranks[id].level], " (carve-out of ", cite, " is for unclassified data only)",
] if {
	# regal ignore:pointless-reassignment
	id := stage.id
	stage_ranks[id].level > 0
} else := [
	"encryption_at_rest is ", loc.encryption_at_rest, ", not client_side, so the data is not encrypted ",
	"end to end (carve-out of ", cite, ")",
] if {
	loc.encryption_at_rest != "client_side"
} else := [
	"fips_140 is none, so no validated cryptographic modules protect it (carve-out of ", cite, ")",
]
