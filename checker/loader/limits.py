"""Bounds on what one input may cost, so a hostile or broken file fails fast instead of hanging."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-input ceilings; exceeding any of them is an input error, never a crash.

    max_bytes: largest file (or stdin) accepted, checked before reading where possible.
    max_depth: deepest nesting of mappings/sequences (objects/arrays) accepted.
    max_nodes: most YAML nodes one document may expand to once aliases are counted.
    """

    max_bytes: int = 8 * 1024 * 1024
    max_depth: int = 64
    max_nodes: int = 200_000


DEFAULT_LIMITS = Limits()
