"""One YAML document built from parser events with an explicit stack, under YAML 1.2 rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml

from checker.errors import InputError, SourceSpan
from checker.loader.document import Document, JsonPath, json_path_text
from checker.loader.limits import Limits
from checker.loader.yaml_scalars import (
    MAP_TAG,
    SEQ_TAG,
    ScalarProblem,
    apply_tag,
    describe,
    resolve_plain,
    tag_text,
    unsupported_tag,
)

_NEED_KEY = object()  # the next node in a mapping is a key
_BAD_KEY = object()  # the key was rejected: drop the value that follows


class _Frame:
    __slots__ = (
        "anchor",
        "height",
        "is_map",
        "key",
        "key_pos",
        "path",
        "pos",
        "seen",
        "start",
        "start_bytes",
        "value",
    )

    def __init__(
        self, value: Any, path: JsonPath, anchor: str | None, start: int, pos: tuple[int, int]
    ) -> None:
        self.value = value
        self.path = path
        self.is_map = isinstance(value, dict)
        self.key: object = _NEED_KEY
        self.key_pos = pos
        self.seen: dict[str, int] = {}  # key -> line of its first occurrence
        self.anchor = anchor
        self.start = start  # node total before this node: its expanded size is total - start
        self.start_bytes = 0  # the same for the expanded text
        self.pos = pos
        # Tallest subtree below; an alias to an anchored node adds its height to the depth.
        self.height = 0


# Per node, beyond a scalar's text: quotes, separators, nesting in the serialised input.
_NODE_BYTES = 4


def _pos(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


class DocumentBuilder:
    """Receives the node events of one document; `finish` yields it unless it had errors.

    After a limit error (`skipping`) the rest of the document's events must not be fed in.
    """

    def __init__(
        self, source: str, index: int, limits: Limits, report: Callable[[InputError], None]
    ) -> None:
        self.source = source
        self.index = index
        self.limits = limits
        self.report = report
        self.stack: list[_Frame] = []
        self.positions: dict[JsonPath, tuple[int, int]] = {}
        # value, expanded size in nodes, height, expanded size in bytes
        self.anchors: dict[str, tuple[Any, int, int, int]] = {}
        self.open_anchors: set[str] = set()
        self.total = 0
        self.bytes = 0  # the document's text once expanded (serialised for the engine)
        self.aliased = False
        self.failed = False  # this document had an error: it is not returned
        self.skipping = False  # a limit was hit: the rest of the document is ignored
        self.root: Any = None
        self.root_empty = False

    # -- errors -------------------------------------------------------------------------------

    def error(self, pos: tuple[int, int], message: str, path: JsonPath | None = None) -> None:
        where = json_path_text(path) if path else ""
        self.failed = True
        self.report(InputError(SourceSpan(self.source, *pos), message, where))

    def hard(self, pos: tuple[int, int], message: str, path: JsonPath) -> None:
        self.error(pos, message, path)
        self.skipping = True
        self.stack.clear()

    def count(self, n: int, pos: tuple[int, int], path: JsonPath) -> bool:
        self.total += n
        if self.total <= self.limits.max_nodes:
            return True
        if self.aliased:
            msg = f"alias expansion exceeds {self.limits.max_nodes} nodes (possible alias bomb)"
        else:
            msg = f"document has more than {self.limits.max_nodes} nodes"
        self.hard(pos, msg, path)
        return False

    def weigh(self, n: int, pos: tuple[int, int], path: JsonPath, alias: str = "") -> bool:
        self.bytes += n
        if self.bytes <= self.limits.max_expanded_bytes:
            return True
        limit = f"{self.limits.max_expanded_bytes >> 20} MiB"
        if alias:
            msg = (
                f"alias *{alias} expands the document past {limit} (aliases count at their "
                "expanded size; possible alias bomb)"
            )
        else:
            msg = f"document expands to more than {limit}"
        self.hard(pos, msg, path)
        return False

    # -- tree building --------------------------------------------------------------------------

    def child_path(self) -> JsonPath:
        if not self.stack:
            return ()
        parent = self.stack[-1]
        if not parent.is_map:
            return (*parent.path, len(parent.value))
        key = parent.key
        return (*parent.path, key if isinstance(key, str) else "<key>")

    def attach(self, value: Any, pos: tuple[int, int], empty: bool, merge: bool) -> None:
        if not self.stack:
            self.root = value
            self.root_empty = empty
            self.positions[()] = pos
            return
        parent = self.stack[-1]
        if not parent.is_map:
            self.positions[(*parent.path, len(parent.value))] = pos
            parent.value.append(value)
            return
        key = parent.key
        if key is _NEED_KEY:
            self.take_key(parent, value, pos, merge)
            return
        parent.key = _NEED_KEY
        if isinstance(key, str):
            parent.value[key] = value
            # `key:` with nothing after it: the empty node's mark points past the colon.
            self.positions[(*parent.path, key)] = parent.key_pos if empty else pos

    def take_key(self, parent: _Frame, key: Any, pos: tuple[int, int], merge: bool) -> None:
        parent.key = _BAD_KEY
        parent.key_pos = pos
        if merge:
            self.error(
                pos,
                "merge keys (<<) are a YAML 1.1 feature, not supported; write the keys out",
                parent.path,
            )
        elif not isinstance(key, str):
            self.error(
                pos,
                f"mapping key must be a string, found {describe(key)}"
                + ("; quote it to make it text" if not isinstance(key, (dict, list)) else ""),
                parent.path,
            )
        elif key in parent.seen:
            self.error(
                pos,
                f"duplicate key {key!r} (first defined at line {parent.seen[key]})",
                (*parent.path, key),
            )
        else:
            parent.seen[key] = pos[0]
            parent.key = key

    # -- events -------------------------------------------------------------------------------

    def scalar(self, event: yaml.ScalarEvent) -> None:
        pos = _pos(event.start_mark)
        weight = len(event.value) + _NODE_BYTES
        if not self.count(1, pos, self.child_path()) or not self.weigh(
            weight, pos, self.child_path()
        ):
            return
        tag, text = event.tag, event.value
        plain = not event.style  # libyaml says '' for plain, the pure-Python parser None
        try:
            if tag is None or tag == "!":
                value = resolve_plain(text) if plain and tag is None else text
            else:
                value = apply_tag(tag, text)
        except ScalarProblem as exc:
            self.error(pos, str(exc), self.child_path())
            value = None
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1, 0, weight)
        untagged_plain = plain and tag is None
        self.attach(value, pos, untagged_plain and text == "", untagged_plain and text == "<<")

    def collection_start(self, event: yaml.CollectionStartEvent, is_map: bool) -> None:
        pos = _pos(event.start_mark)
        path = self.child_path()
        if not self.count(1, pos, path) or not self.weigh(_NODE_BYTES, pos, path):
            return
        if len(self.stack) >= self.limits.max_depth:
            self.hard(pos, f"nesting is deeper than {self.limits.max_depth} levels", ())
            return
        tag = event.tag
        if tag is not None and tag not in ("!", MAP_TAG if is_map else SEQ_TAG):
            kind = "mapping" if is_map else "sequence"
            wrong = f"tag {tag_text(tag)} cannot be applied to a {kind}"
            self.error(pos, wrong if tag in (MAP_TAG, SEQ_TAG) else unsupported_tag(tag), path)
        if event.anchor is not None:
            self.open_anchors.add(event.anchor)
        value: dict[str, Any] | list[Any] = {} if is_map else []
        frame = _Frame(value, path, event.anchor, self.total - 1, pos)
        frame.start_bytes = self.bytes - _NODE_BYTES
        self.stack.append(frame)

    def collection_end(self) -> None:
        frame = self.stack.pop()
        height = frame.height + 1
        if frame.anchor is not None:
            size = (self.total - frame.start, self.bytes - frame.start_bytes)
            self.anchors[frame.anchor] = (frame.value, size[0], height, size[1])
            self.open_anchors.discard(frame.anchor)
        if self.stack and self.stack[-1].height < height:
            self.stack[-1].height = height
        self.attach(frame.value, frame.pos, False, False)

    def alias(self, event: yaml.AliasEvent) -> None:
        pos = _pos(event.start_mark)
        path = self.child_path()
        name = event.anchor or ""
        entry = self.anchors.get(name)
        if entry is None:
            if name in self.open_anchors:
                problem = f"alias *{name} is inside the node it refers to (recursive data)"
            else:
                problem = f"alias *{name} refers to no anchor defined before it"
            self.error(pos, problem, path)
            self.attach(None, pos, False, False)
            return
        value, size, height, weight = entry
        self.aliased = True
        if not self.count(size, pos, path) or not self.weigh(weight, pos, path, name):
            return
        if len(self.stack) + height > self.limits.max_depth:
            self.hard(
                pos,
                f"nesting is deeper than {self.limits.max_depth} levels (through alias *{name})",
                (),
            )
            return
        if self.stack and self.stack[-1].height < height:
            self.stack[-1].height = height
        self.attach(value, pos, False, False)

    def finish(self) -> Document | None:
        """The document, or None if it had errors or was empty (a bare `---`)."""
        if self.failed or self.root_empty:
            return None
        return Document(self.source, self.index, self.root, self.positions)
