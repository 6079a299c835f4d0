# METADATA
# title: tdcheck findings as conftest results
# description: >-
#   conftest passes the raw manifest as input, without the `_tdcheck.as_of` the checker
#   adds, and loads policy data only when given `--data`. This package supplies both
#   (the date from input, else data.tdcheck.as_of, else today; policy data merged over
#   the defaults in catalogue.rego) and evaluates data.tdcheck.main.findings with them.
#
#   It only ever runs on real OPA (conftest, opa eval), never on tdcheck's embedded
#   engine, which cannot evaluate `with` in a module nor build strings reliably:
#   checker/policy.py does not load policies/conftest/. Hence `with` and `concat` here,
#   which the rule library itself avoids (policies/README.md).
# scope: package
# custom:
#   library: true
package tdcheck.conftest

import rego.v1

# regal ignore:leaked-internal-reference
manifest if input.kind == "TrainingDeployment"

# regal ignore:leaked-internal-reference
manifest if input.apiVersion == "tdcheck/v1"

today := sprintf("%04d-%02d-%02d", time.date([time.now_ns(), "Local"]))

# The date rules are judged at: the checker's, else conftest's `--data` (tdcheck.as_of), else today.
as_of := date if {
	# regal ignore:leaked-internal-reference
	date := input._tdcheck.as_of
} else := date if {
	date := data.tdcheck.as_of
} else := today

# data.tdcheck.org and .reference as given with --data, merged over the defaults.
default given_org := {}

given_org := data.tdcheck.org

default given_reference := {}

# regal ignore:unresolved-reference
given_reference := data.tdcheck.reference

org := object.union(default_data.org, given_org)

reference := object.union(default_data.reference, given_reference)

# The checker replaces `_tdcheck` with its own; so does this package.
checked_input := object.union(object.remove(input, ["_tdcheck"]), {"_tdcheck": {"as_of": as_of}})

# `with` replaces input and data for this evaluation only: conftest users cannot pass them.
findings := result if {
	# regal ignore:with-outside-test-context,line-length,unresolved-reference
	result := data.tdcheck.main.findings with input as checked_input with data.tdcheck.org as org with data.tdcheck.reference as reference
}

results contains result if {
	manifest
	some finding in findings
	finding.status == "fail"
	severity := object.get(finding, "severity", object.get(severities, finding.rule_id, "error"))
	result := {
		"msg": concat("", [finding.rule_id, ": ", text(finding.message)]),
		"rule_id": finding.rule_id,
		"severity": severity,
		"stage": finding.stage,
		"location": finding.location,
		"transfer": finding.transfer,
		"path": finding.path,
	}
}

# Message fragments joined as the checker joins them (checker/findings.py render_message):
# strings as they are, other scalars as JSON, nested arrays in order, {"list": [...]}
# comma-separated. `walk` visits arrays in index order, depth first.
text(message) := concat("", [piece(path, value) |
	walk(message, [path, value])
	not is_array(value)
	not is_object(value)
])

piece(path, value) := concat("", [separator(path), fragment(value)])

separator(path) := ", " if {
	count(path) >= 2
	path[count(path) - 2] == "list"
	path[count(path) - 1] > 0
} else := ""

fragment(value) := value if is_string(value)

fragment(value) := json.marshal(value) if not is_string(value)
