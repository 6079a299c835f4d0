# Finding constructors - the finding shape of rules-v1.md
# Every rule builds its findings here, so the shape is the same for all rules and
# all engines. `verdict` is {failed, message, path}; title, citation and remediation
# are joined from each rule's METADATA by the checker.
package tdcheck.lib

import rego.v1

status(true) := "fail"

status(false) := "pass"

stage_finding(rule_id, stage_id, verdict) := {
	"rule_id": rule_id,
	"status": status(verdict.failed),
	"subject": "stage",
	"stage": stage_id,
	"location": location,
	"transfer": null,
	"message": verdict.message,
	"path": verdict.path,
} if {
	# `stages[stage_id]` would scan every stage on the embedded engine (manifest.rego, location_path)
	# regal ignore:pointless-reassignment
	id := stage_id
	location := stages[id].location
}

location_finding(rule_id, loc_id, verdict) := {
	"rule_id": rule_id,
	"status": status(verdict.failed),
	"subject": "location",
	"stage": null,
	"location": loc_id,
	"transfer": null,
	"message": verdict.message,
	"path": verdict.path,
}

movement_finding(rule_id, transfer, verdict) := {
	"rule_id": rule_id,
	"status": status(verdict.failed),
	"subject": "movement",
	"stage": null,
	"location": null,
	"transfer": transfer,
	"message": verdict.message,
	"path": verdict.path,
}

# The subject of a finding on a declared transfer, by transfer index.
transfer_subjects := {i: {"from": t.from, "to": t.to, "datasets": t.datasets} | t := transfers[i]}

# HIPAA-ENC-* take their severity from the organisation (rules-v1.md).
with_severity(finding, severity) := object.union(finding, {"severity": severity})
