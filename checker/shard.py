"""`--shard K/N`: a run checks only its share of the inputs, so N CI jobs check a repo together.

An input belongs to shard 1 + (sha256 of its path) mod N. The path is the one the report
names (relative to the directory given, in forward slashes), so every job of a matrix,
each in its own checkout, computes the same partition; and an input's shard depends on its
own path alone, so adding or removing a file elsewhere never moves another file to a
different shard (its cached results stay where they were).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from checker.errors import UsageError
from checker.loader import InputRef

_FORM = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


@dataclass(frozen=True, slots=True)
class Shard:
    index: int  # 1-based
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        found = _FORM.fullmatch(text)
        if found is None:
            raise UsageError(f"--shard {text!r}: expected K/N, such as 2/4")
        index, count = int(found.group(1)), int(found.group(2))
        if not 1 <= index <= count:
            raise UsageError(f"--shard {text!r}: K must be between 1 and N (1 <= K <= N)")
        return cls(index, count)

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def holds(self, path: str) -> bool:
        digest = hashlib.sha256(path.encode("utf-8", "surrogateescape")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1

    def split(self, refs: Iterable[InputRef]) -> tuple[list[InputRef], list[InputRef]]:
        """This shard's inputs, and the other shards' (one pass: thousands of inputs)."""
        mine: list[InputRef] = []
        others: list[InputRef] = []
        for ref in refs:
            (mine if self.owns(ref) else others).append(ref)
        return mine, others

    def owns(self, ref: InputRef) -> bool:
        """Standard input (`-`) is never split: it goes to the first shard."""
        if ref.path is None:
            return self.index == 1
        return self.holds(_normal(ref.display))


def _normal(display: str) -> str:
    path = display.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path
