# Movements - declared transfers and movements implied by lineage
# A dataset written at location A and read at B moves from A to B whether or not a
# transfer declares it (manifest-v1.md). Each movement knows its covering transfers.
package tdcheck.lib

import rego.v1

implied_movements contains {"from": from, "to": reader.location, "dataset": d} if {
	some reader in stages
	some d in reader.inputs
	from := stages[writer[d]].location
	from != reader.location
}

declared_movements contains {"from": t.from, "to": t.to, "dataset": d} if {
	some t in transfers
	some d in t.datasets
}

movements := implied_movements | declared_movements

# The smallest of a set of numbers (array indices), the same on both engines. Not `min`:
# regopy orders numbers as strings there (min({9, 10}) is 10), and an element of a
# `sort` result reads as undefined.
smallest(values) := n if {
	some n in values
	every other in values {
		n <= other
	}
}

covering_transfers(m) := {i |
	t := transfers[i]
	t.from == m.from
	t.to == m.to
	m.dataset in t.datasets
}

declared(m) if count(covering_transfers(m)) > 0

transfer_view(m) := {"from": m.from, "to": m.to, "datasets": [m.dataset]}

# A declared movement points at its first covering transfer; an implied one at the first
# stage input that reads the dataset across the boundary.
movement_path(m) := transfer_path(smallest(covering_transfers(m)), "datasets") if declared(m)

movement_path(m) := ["spec", "stages", j, "inputs", k] if {
	not declared(m)
	j := smallest({i | s := input.spec.stages[i]; s.location == m.to; m.dataset in object.get(s, "inputs", [])})
	reader := input.spec.stages[j]
	k := smallest({i | reader.inputs[i] == m.dataset})
}

movement_label(m) := [
	"dataset ", m.dataset, " moving ", m.from, " (", locations[m.from].country, ") -> ",
	m.to, " (", locations[m.to].country, ")",
]

transfer_label(i) := ["transfer ", transfer_id(i)]

transfer_id(i) := transfers[i].id

transfer_id(i) := [transfers[i].from, "->", transfers[i].to] if not transfers[i].id

movements_with_class(class) := {m | some m in movements; class in dataset_facts[m.dataset].classes}

encryption(i) := object.get(transfers[i], "encryption_in_transit", "none")

recurring(i) := object.get(transfers[i], "recurring", true)
