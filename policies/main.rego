# METADATA
# title: tdcheck entry point
# description: >-
#   Every finding of every rule package under data.tdcheck.rules, built-in or an
#   organisation's own. The checker queries data.tdcheck.main.findings.
# scope: package
# entrypoint: true
# custom:
#   library: true
package tdcheck.main

import rego.v1

# An array, not a set: rule packages cannot produce the same finding twice (each carries its
# own rule_id), and building one big set costs a deep comparison per insertion (seconds per
# manifest on the embedded engine). `data.tdcheck.rules[name]` with `name` unbound evaluates
# only each package's `findings`; `some rule in data.tdcheck.rules` would build every
# package's whole document, and OPA then re-evaluates the shared library for each one
# (about ten times slower there).
findings := [finding |
	some name
	finding := data.tdcheck.rules[name].findings[_]
]
