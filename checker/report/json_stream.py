"""Pretty-printed JSON written as it is encoded, byte for byte what `json.dumps` would give.

`json.dumps(value, indent=2)` builds the whole document as one string. The standard
encoder's `iterencode` yields the same text in pieces: it is the pure-Python encoder that
`dumps` also uses with `indent` (the C one is only for one-shot, unindented output), and it
walks a list by iterating it. A `LazyArray` is a list whose items are produced (from the
run's spool) only while the encoder walks it, so one finding's dict exists at a time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any


class LazyArray(list):  # type: ignore[type-arg]
    """A JSON array whose items come from `items()` each time it is iterated.

    The encoder accepts only list and tuple instances; it asks an array whether it is
    empty (`[]`) and then iterates it, so `bool` and iteration are all that must hold.
    """

    def __init__(self, items: Callable[[], Iterable[Any]], empty: bool) -> None:
        super().__init__()
        self._items = items
        self._empty = empty

    def __iter__(self) -> Iterator[Any]:
        return iter(self._items())

    def __bool__(self) -> bool:
        return not self._empty


def json_chunks(value: Any) -> Iterator[str]:
    """`json.dumps(value, indent=2)` in pieces, then the newline the reports end with."""
    yield from json.JSONEncoder(indent=2).iterencode(value)
    yield "\n"
