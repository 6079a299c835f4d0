"""JSON files: values from the standard library, positions from a small iterative tokenizer.

`json.loads` is fast and exact about syntax but knows nothing of positions and accepts
NaN, Infinity and duplicate keys; its hooks only raise flags, and the tokenizer, run on
text `json.loads` accepted, says where each value (and each problem) is.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from checker.errors import InputError, SourceSpan
from checker.loader.document import Document, JsonPath, json_path_text
from checker.loader.limits import FLOAT_RANGE_PROBLEM, Limits, float_out_of_range

_TOKEN = re.compile(
    r"[ \t\r\n]*(?:"
    r'(?P<s>"[^"\\]*(?:\\.[^"\\]*)*")'
    r"|(?P<n>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)"
    r"|(?P<c>NaN|Infinity|-Infinity)"
    r"|(?P<l>true|false|null)"
    r"|(?P<p>[\[\]{},:]))"
)
_NOT_FINITE = "is not a finite number; JSON has no NaN/Infinity"
# A \uD800-\uDFFF escape: valid in a pair, a lone one decodes to text no output can encode.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_PROBLEM = (
    "contains a lone surrogate escape (\\uD800-\\uDFFF); expected valid Unicode text"
)


class _Frame:
    __slots__ = ("count", "is_obj", "key", "path", "seen")

    def __init__(self, path: JsonPath, is_obj: bool) -> None:
        self.path = path
        self.is_obj = is_obj
        self.key: str | None = None  # an object's current key; None while a key is expected
        self.count = 0  # an array's next index
        self.seen: dict[str, int] = {}  # key -> line of its first occurrence


class _Flags:
    __slots__ = ("duplicates",)

    def __init__(self) -> None:
        self.duplicates = False


def _too_many(limits: Limits) -> str:
    return f"document has more than {limits.max_nodes} nodes"  # YAML's words (yaml_document.py)


def _may_overflow(number: str) -> bool:
    # Only an exponent or a very long literal can exceed a double; skip float() otherwise.
    return "e" in number or "E" in number or len(number) > 300


def _scan(
    text: str, source: str, limits: Limits, duplicates: bool
) -> tuple[dict[JsonPath, tuple[int, int]], list[InputError]]:
    """Positions of every value, plus positioned errors: depth, size, duplicates, non-finite
    numbers. Keys count as nodes, as in YAML, so both formats stop at the same size."""
    positions: dict[JsonPath, tuple[int, int]] = {}
    errors: list[InputError] = []
    stack: list[_Frame] = []
    nodes = 0
    line, line_start, pos, end = 1, 0, 0, len(text)

    def error(at: tuple[int, int], message: str, path: JsonPath) -> None:
        where = json_path_text(path) if path else ""
        errors.append(InputError(SourceSpan(source, *at), message, where))

    surrogates = _SURROGATE_ESCAPE.search(text) is not None
    while pos < end:
        match = _TOKEN.match(text, pos)
        if match is None:
            break  # trailing whitespace, or text json.loads never reached (RecursionError)
        kind = match.lastgroup or ""
        start = match.start(kind)
        newlines = text.count("\n", pos, start)  # no raw newline can sit inside a JSON token
        if newlines:
            line += newlines
            line_start = text.rfind("\n", pos, start) + 1
        at = (line, start - line_start + 1)
        pos = match.end()
        token = match.group(kind)
        top = stack[-1] if stack else None
        if kind == "p":
            if token in "]}":
                if stack:
                    stack.pop()
            elif token == "," and top is not None and top.is_obj:
                top.key = None
            if token not in "[{":
                continue
        # The whole file is parsed already (8 MiB at most); the node limit bounds what follows:
        # the positions kept here, validation, and the input the engine is given.
        nodes += 1
        if top is not None and top.is_obj and top.key is None:
            key = json.loads(token) if "\\" in token else token[1:-1]
            if nodes > limits.max_nodes:
                error(at, _too_many(limits), (*top.path, key))
                break
            if surrogates and _LONE_SURROGATE.search(key):
                error(at, f"a key {_SURROGATE_PROBLEM}", top.path)
                break
            if duplicates and key in top.seen:
                first = top.seen[key]
                message = f"duplicate key {key!r} (first defined at line {first})"
                error(at, message, (*top.path, key))
            top.seen[key] = line
            top.key = key
            continue
        if top is None:
            path: JsonPath = ()
        elif top.is_obj:
            path = (*top.path, top.key or "")
        else:
            path = (*top.path, top.count)
            top.count += 1
        if nodes > limits.max_nodes:
            error(at, _too_many(limits), path)
            break
        positions[path] = at
        if kind == "p":
            if len(stack) >= limits.max_depth:
                error(at, f"nesting is deeper than {limits.max_depth} levels", ())
                break
            stack.append(_Frame(path, token == "{"))
        elif kind == "c":
            error(at, f"{token} {_NOT_FINITE}", path)
        elif kind == "s" and surrogates and _LONE_SURROGATE.search(json.loads(token)):
            error(at, f"the string {_SURROGATE_PROBLEM}", path)
        elif kind == "n" and _may_overflow(token):
            number = float(token)
            if not math.isfinite(number):
                error(at, f"{token[:40]} {_NOT_FINITE}", path)
            elif float_out_of_range(number) and not token.lstrip("-").isdigit():
                error(at, f"{token[:40]} {FLOAT_RANGE_PROBLEM}", path)
    return positions, errors


def parse_json(
    text: str, source: str, limits: Limits
) -> tuple[tuple[Document, ...], tuple[InputError, ...]]:
    """The one document of a JSON file (none if the file is blank), or what is wrong with it."""
    if not text.strip(" \t\r\n"):
        return (), ()
    flags = _Flags()

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(items)
        if len(obj) != len(items):
            flags.duplicates = True
        return obj

    try:
        # NaN/Infinity become None here and are reported, with a position, by the scan.
        value = json.loads(text, object_pairs_hook=pairs, parse_constant=lambda _: None)
    except json.JSONDecodeError as exc:
        span = SourceSpan(source, exc.lineno, exc.colno)
        return (), (InputError(span, f"JSON syntax error: {exc.msg}"),)
    except RecursionError:
        _, errors = _scan(text, source, limits, duplicates=False)
        depth = [e for e in errors if "nesting" in e.message]
        if not depth:
            depth = [InputError(SourceSpan(source), "nesting is too deep for the JSON parser")]
        return (), tuple(depth[:1])
    except ValueError as exc:  # e.g. an integer longer than Python converts (4300 digits)
        return (), (InputError(SourceSpan(source), f"JSON value cannot be read: {exc}"),)
    positions, errors = _scan(text, source, limits, flags.duplicates)
    if errors:
        return (), tuple(errors)
    return (Document(source, 0, value, positions),), ()
