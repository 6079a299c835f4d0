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

# Per declared transfer (by index): how messages name it, and the fields rules read.
transfer_labels := {i: ["transfer ", transfer_id(t)] | t := transfers[i]}

transfer_id(t) := t.id

transfer_id(t) := [t.from, "->", t.to] if not t.id

transfer_encryption := {i: object.get(t, "encryption_in_transit", "none") | t := transfers[i]}

transfer_recurring := {i: object.get(t, "recurring", true) | t := transfers[i]}

# Dataset -> the indices of the transfers that carry it.
carrying[d] contains i if {
	some i, t in transfers
	some d in t.datasets
}

# Every movement with what rules say about it: its covering transfers (indices), whether
# one declares it, the JSON path of its finding and its message label. An array, not an
# object keyed by movement: the embedded engine looks up object-valued keys by scanning.
movement_records := [{
	"movement": m,
	"view": {"from": m.from, "to": m.to, "datasets": [m.dataset]},
	"covering": covering,
	"declared": count(covering) > 0,
	"path": movement_path(m, covering),
	"label": [
		"dataset ", m.dataset, " moving ", m.from, " (", locations[m.from].country, ") -> ",
		m.to, " (", locations[m.to].country, ")",
	],
} |
	some m in movements
	covering := {i | some i in carrying[m.dataset]; transfers[i].from == m.from; transfers[i].to == m.to}
]

# A declared movement points at its first covering transfer; an implied one at the first
# stage input that reads the dataset across the boundary.
movement_path(_, covering) := transfer_path(smallest(covering), "datasets") if count(covering) > 0

movement_path(m, covering) := ["spec", "stages", j, "inputs", k] if {
	count(covering) == 0
	j := smallest({i | s := input.spec.stages[i]; s.location == m.to; m.dataset in object.get(s, "inputs", [])})
	reader := input.spec.stages[j]
	k := smallest({i | reader.inputs[i] == m.dataset})
}
