"""One resource block, format-neutral: the readers (HCL, plan) produce these."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Block:
    type: str
    address: str
    file: str
    line: int
    attrs: Mapping[str, Any]
    key: str = ""  # what other blocks use to point at this one (an id or a name)
    refs: tuple[str, ...] = ()  # the keys of the blocks this one points at

    def get(self, *path: str) -> Any:
        """A nested attribute, None when absent; a nested block list gives its first item."""
        value: Any = self.attrs
        for name in path:
            if isinstance(value, list):
                value = value[0] if value else None
            if not isinstance(value, Mapping):
                return None
            value = value.get(name)
        return (
            value[0]
            if isinstance(value, list) and value and isinstance(value[0], Mapping)
            else value
        )

    def points_at(self, target: Block, *via: str) -> bool:
        """This block references the target by id, or names it in one of `via` (plan JSON)."""
        if target.key:
            return target.key in self.refs
        names = {
            value
            for value in (target.attrs.get(n) for n in ("bucket", "name", "id"))
            if isinstance(value, str)
        }
        pointers = (self.attrs.get(field) for field in via)
        return any(isinstance(value, str) and value in names for value in pointers)


def unresolved(value: Any) -> bool:
    """tfparse leaves what it cannot evaluate as {"__attribute__": "var.x", ...}."""
    return isinstance(value, Mapping) and "__attribute__" in value
