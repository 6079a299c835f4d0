"""Bounds on what one input may cost, so a hostile or broken file fails fast instead of hanging."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-input ceilings; exceeding any of them is an input error, never a crash.

    max_bytes: largest file (or stdin) accepted, checked before reading where possible.
    max_depth: deepest nesting of mappings/sequences (objects/arrays) accepted.
    max_nodes: most nodes (keys and values) one YAML or JSON document may hold, YAML aliases
        counted as expanded.
    max_expanded_bytes: most text one YAML document may expand to (every scalar's length,
        plus a little per node), aliases counted at their expanded size: 2,000 aliases to
        one 1 MB scalar are 2 GB once serialised for the engine, in a 1 MB file.
    """

    max_bytes: int = 8 * 1024 * 1024
    max_depth: int = 64
    max_nodes: int = 200_000
    max_expanded_bytes: int = 16 * 1024 * 1024


DEFAULT_LIMITS = Limits()


# regopy (rego-cpp) cannot read a double this close to zero (subnormals) or this large:
# std::stod throws and the manifest is left unevaluated. No manifest needs such a number,
# so both engines see the same input error, with its position, instead.
FLOAT_MIN, FLOAT_MAX = 1e-300, 1e300
FLOAT_RANGE_PROBLEM = (
    "is outside the range of numbers tdcheck evaluates (0, or a magnitude from 1e-300 to 1e300)"
)


def float_out_of_range(value: float) -> bool:
    return value != 0 and not FLOAT_MIN <= abs(value) <= FLOAT_MAX
