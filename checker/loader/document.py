"""What the loader hands on: JSON-compatible values that remember where they came from."""

from __future__ import annotations

import json
import re
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
    # Terraform facts bound to the manifest's locations (checker/evidence), engine input.
    evidence: Mapping[str, Any] | None = field(default=None, repr=False, compare=False)

    def locate(self, path: JsonPath) -> tuple[int, int]:
        probe = tuple(path)
        while probe:
            found = self.positions.get(probe)
            if found is not None:
                return found
            probe = probe[:-1]
        return self.positions.get((), (1, 1))


_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def json_path_text(path: JsonPath) -> str:
    """`$.spec.stages[2].location`: the form users see in error lines.

    A key that is not a plain name is quoted, `$.labels["a.b"]`, with every character that
    is not printable escaped: a key with a newline must not break the one-line error.
    """
    out = "$"
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(part):
            out += f".{part}"
        else:
            quoted = json.dumps(part, ensure_ascii=False)
            out += "[" + "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in quoted) + "]"
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
    undeclared: bool = False  # not parsed: it does not declare itself a manifest (sniff.py)
