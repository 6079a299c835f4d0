"""What the loader hands on: JSON-compatible values that remember where they came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

JsonPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Document:
    """One YAML/JSON document: its value and the 1-based (line, column) of every node.

    `positions` maps a JSON path (keys and list indices from the root) to where that
    node starts. Paths into aliased YAML nodes may be missing; `locate` falls back to
    the nearest ancestor that has a position.
    """

    source: str
    index: int
    value: Any
    positions: Mapping[JsonPath, tuple[int, int]] = field(repr=False)

    def locate(self, path: JsonPath) -> tuple[int, int]:
        probe = tuple(path)
        while probe:
            found = self.positions.get(probe)
            if found is not None:
                return found
            probe = probe[:-1]
        return self.positions.get((), (1, 1))


def json_path_text(path: JsonPath) -> str:
    """`$.spec.stages[2].location`: the form users see in error lines."""
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


@dataclass(frozen=True, slots=True)
class LoadedSource:
    """One input (a file or stdin): its documents, or the errors that stopped it."""

    source: str
    sha256: str
    documents: tuple[Document, ...]
    errors: tuple[Any, ...] = ()  # InputError instances
    notices: tuple[str, ...] = ()
    explicit: bool = True  # named on the command line (vs found by a directory walk)
