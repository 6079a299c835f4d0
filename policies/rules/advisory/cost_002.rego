# METADATA
# title: Steadily loaded cloud capacity is not bought on demand
# description: >-
#   On-demand pricing suits bursty load. A cloud location expected to be busy 70% of the
#   time or more is a steady-state load, for which reserved capacity (or on-premises
#   hardware) is usually cheaper.
# scope: package
# custom:
#   id: ADV-COST-002
#   framework: advisory
#   severity: advisory
#   subject: location
#   citation: TCO studies (TechnoLynx 2026, Stabilarity 2026, break-even 60-70% sustained)
#   remediation: >-
#     Buy reserved capacity or a savings plan for the steady part of the load
#     (`pricing: reserved`), or compare with on-premises capacity.
package tdcheck.rules.advisory_cost_002

import data.tdcheck.lib
import rego.v1

findings := [lib.location_finding("ADV-COST-002", loc_id, location_verdict(loc)) |
	some loc_id in object.keys(lib.locations)
	loc := lib.locations[loc_id]
	lib.cloud(loc)
]

steady_state_pct := 70

pricing(loc) := object.get(loc, "pricing", "not declared")

utilization(loc) := object.get(loc, "expected_utilization_pct", "not declared")

label(loc) := ["cloud location ", loc.id, " (", loc.kind, ", ", loc.country, ") pricing ", pricing(loc)]

location_verdict(loc) := {
	"failed": true,
	"message": [
		label(loc), " at ", loc.expected_utilization_pct, "% expected utilisation (steady state from ",
		steady_state_pct, "%): reserved capacity or on premises may be cheaper",
	],
	"path": lib.location_path(loc.id, "pricing"),
} if {
	loc.pricing == "on_demand"
	loc.expected_utilization_pct >= steady_state_pct
}

else := {
	"failed": false,
	"message": [
		label(loc), ", expected_utilization_pct ", utilization(loc),
		" (steady state from ", steady_state_pct, "%)",
	],
	"path": lib.location_path(loc.id, "pricing"),
}
