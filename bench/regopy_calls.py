"""Why the embedded engine is slower than OPA: what one Rego function call costs on regopy.

    python bench/regopy_calls.py

A function that reads a rule computed from the input (`g(id) := obj[id].b` with
`obj := input.big`) costs time proportional to the size of that rule's value on every
call, while the same lookup written in a rule body, or a function reading a small rule,
costs microseconds (a function given the object as an argument grows too, ten times
slower). Measured: 2.3 ms per call at 300 entries, 5 us in a rule body. The rule library
used to call per-finding helpers of the first kind; it now keys its facts by id and looks
them up in rule bodies (policies/README.md, "Speed"). bench/regopy_lookups.py narrows the
cost down pattern by pattern: the scan comes from indexing a rule by a bare parameter.
"""

from __future__ import annotations

import json
import time

MODULE = """package p
import rego.v1
obj := input.big
tiny := input.big.k1
via_rule(id) := obj[id].b
via_small_rule(id) := tiny.b
via_argument(o, id) := o[id].b
in_function := [via_rule("k1") | some i in numbers.range(1, 2000)]
in_function_small_rule := [via_small_rule("k1") | some i in numbers.range(1, 2000)]
in_function_argument := [via_argument(obj, "k1") | some i in numbers.range(1, 2000)]
in_rule_body := [obj.k1.b | some i in numbers.range(1, 2000)]
"""
ENTRYPOINTS = ("in_function", "in_function_small_rule", "in_function_argument", "in_rule_body")


def main() -> None:
    import regopy
    from regopy import rego_shared as raw

    regopy.set_default_log_level("None")
    interpreter = regopy.Interpreter()
    interpreter.add_module("p.rego", MODULE)
    bundle = interpreter.build(None, [f"p/{name}" for name in ENTRYPOINTS])
    print(f"regopy {regopy.__version__}: microseconds per lookup, 2,000 lookups each")
    print(f"{'entries in input.big':>22}" + "".join(f"{name:>24}" for name in ENTRYPOINTS))
    for size in (10, 30, 100, 300):
        big = {f"k{i}": {"a": [1, 2, 3], "b": "x" * 20, "c": {"d": True}} for i in range(size)}
        interpreter.set_input_term(json.dumps({"big": big}))
        cells = []
        for name in ENTRYPOINTS:
            started = time.process_time()
            output = raw.rego_bundle_query_entrypoint(interpreter._impl, bundle._impl, f"p/{name}")
            raw.rego_output_string(output)
            raw.rego_free_output(output)
            cells.append(f"{(time.process_time() - started) * 1e6 / 2000:>24.1f}")
        print(f"{size:>22}" + "".join(cells))


if __name__ == "__main__":
    main()
