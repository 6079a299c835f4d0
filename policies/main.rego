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

findings contains finding if {
	some rule in data.tdcheck.rules
	some finding in rule.findings
}
