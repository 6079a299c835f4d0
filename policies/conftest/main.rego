# METADATA
# title: conftest entry point for the tdcheck rule library
# description: >-
#   Lets conftest users run tdcheck's rules without tdcheck:
#   `conftest test --policy policies --namespace main MANIFEST.yaml`. Every failing
#   finding of data.tdcheck.main.findings becomes a `deny` (severity error) or a `warn`
#   (warning, advisory) whose msg is "RULE-ID: message". conftest does not run tdcheck's
#   schema and integrity checks, waivers or line mapping: `tdcheck check` does.
# scope: package
# custom:
#   library: true
package main

import data.tdcheck.conftest
import rego.v1

deny contains result if {
	some result in conftest.results
	result.severity == "error"
}

warn contains result if {
	some result in conftest.results
	result.severity != "error"
}
