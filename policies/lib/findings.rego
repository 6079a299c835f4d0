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
	"location": stages[stage_id].location,
	"transfer": null,
	"message": verdict.message,
	"path": verdict.path,
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

transfer_subject(i) := {"from": transfers[i].from, "to": transfers[i].to, "datasets": transfers[i].datasets}

# HIPAA-ENC-* take their severity from the organisation (rules-v1.md).
with_severity(finding, severity) := object.union(finding, {"severity": severity})
