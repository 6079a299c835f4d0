# METADATA
# title: On-premises training capacity is used enough to beat cloud cost
# description: >-
#   Published total-cost-of-ownership studies put the on-premises/cloud break-even at
#   roughly 50-80% sustained utilisation. An on-premises or colocation location running
#   training below org.breakeven_utilization_pct is likely cheaper in the cloud. Not
#   raised where the location handles classified or air-gap data, which leaves no cloud
#   option.
# scope: package
# custom:
#   id: ADV-COST-001
#   framework: advisory
#   severity: advisory
#   subject: location
#   citation: TCO studies (TechnoLynx 2026, Stabilarity 2026, Lenovo LP2225); organisation break-even parameter
#   remediation: >-
#     Move bursty or low-utilisation training to cloud capacity, consolidate workloads
#     onto the cluster to raise utilisation, or correct `expected_utilization_pct`.
package tdcheck.rules.advisory_cost_001

import data.tdcheck.lib
import rego.v1

findings := [lib.location_finding("ADV-COST-001", loc_id, verdict(loc, bound_data_at[loc_id])) |
	some loc_id in object.keys(lib.locations)
	loc := lib.locations[loc_id]
	lib.self_hosted(loc)
	"training" in lib.stage_types_at[loc_id]
]

breakeven := lib.org.breakeven_utilization_pct

# Classified or air-gap data at the location: no cloud option to recommend.
bound_data_at := {loc_id: {d | some d in datasets; bound(lib.dataset_facts[d])} |
	some loc_id in object.keys(lib.location_datasets_at)
	datasets := lib.location_datasets_at[loc_id]
}

bound(facts) if facts.level > 0

bound(facts) if facts.air_gap

utilization(loc) := loc.expected_utilization_pct

label(loc) := ["location ", loc.id, " (", loc.kind, ", ", loc.country, ") runs training"]

verdict(loc, bound_data) := {
	"failed": true,
	"message": [
		label(loc), " at ", utilization(loc), "% expected utilisation, below the break-even of ", breakeven,
		"%: cloud capacity is likely cheaper in total cost of ownership",
	],
	"path": lib.location_path(loc.id, "expected_utilization_pct"),
} if {
	utilization(loc) < breakeven
	count(bound_data) == 0
}

else := {
	"failed": false,
	"message": [
		label(loc), " at ", utilization(loc), "% expected utilisation, below the break-even of ", breakeven,
		"%, but it handles classified or air-gap data (", lib.list(bound_data), "), which leaves no cloud option",
	],
	"path": lib.location_path(loc.id, "expected_utilization_pct"),
} if {
	utilization(loc) < breakeven
}

else := {
	"failed": false,
	"message": [label(loc), " at ", utilization(loc), "% expected utilisation (break-even ", breakeven, "%)"],
	"path": lib.location_path(loc.id, "expected_utilization_pct"),
} if {
	utilization(loc)
}

else := {
	"failed": false,
	"message": [label(loc), "; expected_utilization_pct is not declared"],
	"path": lib.location_path(loc.id, "expected_utilization_pct"),
}
