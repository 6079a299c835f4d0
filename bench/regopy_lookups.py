"""What makes Rego slow on the embedded engine (regopy), pattern by pattern.

    python bench/regopy_lookups.py

bench/regopy_calls.py shows that a function reading a rule computed from the input can cost
time proportional to that rule's size. This narrows it down, with CPU microseconds per
operation at two sizes: what grows is the cost to avoid (policies/README.md, "Speed").

1. Inside a function, `rule[param]` (or `param in rule`) scans the whole rule; binding the
   parameter to a local first (`id := param; rule[id]`) or `object.get` is a direct lookup.
2. A set costs time quadratic in its size to build (main.rego: a deep comparison per
   insertion): a rule's findings are cheaper as an array.
3. Iterating an object as `v := obj[k]` (k unbound) and then nesting another iteration
   makes later lookups by k scan; `some k in object.keys(obj)` then `obj[k]` does not.
4. Every call, to a function or a builtin, costs more the more rules the evaluation has
   computed before it (about 0.1 us per rule): a policy set of 200 rules pays ~20 us a call.
"""

from __future__ import annotations

import json
import time

KEY = 'k := concat("", ["k", format_int(i % 3, 10)])'  # distinct keys, no constant folding

LOOKUPS = f"""package lookups
import rego.v1
obj := input.big
by_param(id) := obj[id].b
by_local(id) := obj[k].b if {{
	k := id
}}
by_get(id) := object.get(obj, id, {{}}).b
param_index := [by_param(k) | some i in numbers.range(1, 1000); {KEY}]
local_index := [by_local(k) | some i in numbers.range(1, 1000); {KEY}]
object_get := [by_get(k) | some i in numbers.range(1, 1000); {KEY}]
"""

SETS = """package sets
import rego.v1
finding(i) := {"rule_id": "X", "status": "fail", "stage": format_int(i, 10), "message": ["m", i]}
as_set := {finding(i) | some i in numbers.range(1, input.n)}
as_array := [finding(i) | some i in numbers.range(1, input.n)]
"""

ITERATION = """package iteration
import rego.v1
labels := {k: ["stage ", k] | some k in object.keys(input.big)}
classes := {k: {"x": 1, "y": 2} | some k in object.keys(input.big)}
enumerated := [x | cl := classes[k]; some c in object.keys(cl); x := labels[k]]
keys_first := [x |
	some k in object.keys(classes)
	cl := classes[k]
	some c in object.keys(cl)
	x := labels[k]
]
"""


def calls_module(rules: int) -> str:
    body = "\n".join(f"r{i} := count(input.x) + {i}" for i in range(rules))
    listed = ", ".join(f"r{i}" for i in range(rules))
    return f"""package calls{rules}
import rego.v1
{body}
f(x) := x + 1
computed := [{listed}]
calls := [f(i) | some i in numbers.range(1, 2000)]
before := count(computed)
after := [count(computed), count(calls)]
"""


def _timer(interpreter, raw, bundle):
    def cpu(entry: str, repeat: int = 3) -> float:
        best = float("inf")
        for _ in range(repeat):
            started = time.process_time()
            output = raw.rego_bundle_query_entrypoint(interpreter._impl, bundle._impl, entry)
            raw.rego_output_string(output)
            raw.rego_free_output(output)
            best = min(best, time.process_time() - started)
        return best

    return cpu


def main() -> None:
    import regopy
    from regopy import rego_shared as raw

    regopy.set_default_log_level("None")
    interpreter = regopy.Interpreter()
    sources = {"lookups": LOOKUPS, "sets": SETS, "iteration": ITERATION}
    sources |= {f"calls{n}": calls_module(n) for n in (10, 400)}
    for name, source in sources.items():
        interpreter.add_module(f"{name}.rego", source)
    entries = [
        "lookups/param_index", "lookups/local_index", "lookups/object_get",
        "sets/as_set", "sets/as_array", "iteration/enumerated", "iteration/keys_first",
        "calls10/before", "calls10/after", "calls400/before", "calls400/after",
    ]  # fmt: skip
    bundle = interpreter.build(None, entries)
    cpu = _timer(interpreter, raw, bundle)
    print(f"regopy {regopy.__version__}: CPU microseconds per operation")

    def big(n: int) -> dict[str, object]:
        return {"big": {f"k{i}": {"a": [1, 2, 3], "b": "x" * 20} for i in range(n)}}

    # (title, column labels, inputs, operations per query, [(row label, entry)])
    sections = [
        ("1. a function looking up a rule entry", ("10 keys", "300 keys"), [big(10), big(300)],
         [1000, 1000], [("rule[param]", "lookups/param_index"),
                        ("id := param; rule[id]", "lookups/local_index"),
                        ("object.get(rule, param, {})", "lookups/object_get")]),
        ("2. building findings, per finding", ("30", "300"), [{"n": 30}, {"n": 300}],
         [30, 300], [("a set", "sets/as_set"), ("an array", "sets/as_array")]),
        ("3. a lookup by key after a nested iteration", ("10 keys", "100 keys"),
         [big(10), big(100)], [20, 200],
         [("cl := classes[k]; some c in ...", "iteration/enumerated"),
          ("some k in object.keys(classes); ...", "iteration/keys_first")]),
    ]  # fmt: skip
    for title, columns, inputs, per, rows in sections:
        print(f"\n{title:<50}{columns[0]:>10}{columns[1]:>10}")
        cells: dict[str, list[float]] = {label: [] for label, _ in rows}
        for document, count in zip(inputs, per, strict=True):
            interpreter.set_input_term(json.dumps(document))
            for label, entry in rows:
                cells[label].append(cpu(entry) * 1e6 / count)
        for label, row in cells.items():
            print(f"  {label:<48}" + "".join(f"{c:>10.1f}" for c in row))
    interpreter.set_input_term(json.dumps({"x": [1, 2, 3]}))
    row = [(cpu(f"calls{n}/after") - cpu(f"calls{n}/before")) * 1e6 / 2000 for n in (10, 400)]
    print(f"\n{'4. a call after N rules were computed':<50}{'N = 10':>10}{'N = 400':>10}")
    print(f"  {'f(i)':<48}" + "".join(f"{c:>10.1f}" for c in row))


if __name__ == "__main__":
    main()
