"""JSON Schema validation of one manifest document, reported as one-line input errors.

jsonschema's own messages print Python reprs of whole sub-documents and do not say what
was expected in the user's terms; every error class a manifest author is likely to hit
is therefore rephrased here, and anything else falls back to jsonschema's message.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker.errors import CheckerError, InputError, SourceSpan
from checker.loader.document import Document, JsonPath, json_path_text

if TYPE_CHECKING:  # jsonschema costs ~60 ms to import: only for a document that fails fast.py
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

# The schema directory sits at the project root (and is shipped beside the package).
SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas"
MANIFEST_SCHEMA_PATH = SCHEMA_DIR / "manifest.schema.json"


def schema_path(name: str) -> Path:
    """A bundled schema: installed wheels carry `checker/schemas/`, a checkout `schemas/`."""
    package = Path(__file__).resolve().parents[1]
    for directory in (package / "schemas", package.parent / "schemas"):
        if (directory / name).is_file():
            return directory / name
    raise CheckerError(f"schema {name} not found (the installation is incomplete)")


_MAX_VALUE_TEXT = 60
_MAX_LISTED_NAMES = 12
_MAX_MESSAGE = 200

# Plain-language readings of the contract's patterns: a bare regex tells a user nothing.
_PATTERN_MEANINGS: Mapping[str, str] = {
    "^[A-Z]{2}$": "an upper-case ISO 3166-1 alpha-2 country code such as 'US' or 'DE'",
    "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$": (
        "a valid name: 1-63 lower-case letters, digits and '-', "
        "starting and ending with a letter or digit"
    ),
    "\\S": "a text with at least one non-space character",  # waivers: reason, approved_by
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "a date written YYYY-MM-DD",  # waivers: expires
}

_TYPE_PHRASES: Mapping[str, str] = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean (true or false)",
    "array": "a list",
    "object": "an object",
    "null": "null",
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One error before it gets a source position: where (JSON path) and what.

    `keyword` is the schema keyword (or integrity rule) that produced it; a type error
    makes other errors at the same path redundant, and only the keyword says which is which.
    """

    path: JsonPath
    message: str
    keyword: str = ""


def load_manifest_schema() -> dict[str, Any]:
    """The manifest JSON Schema, freshly parsed (callers may mutate their copy)."""
    with schema_path("manifest.schema.json").open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


@lru_cache(maxsize=1)
def manifest_validator() -> Validator:
    """The compiled validator, built once per process: compiling resolves every `$ref`.

    The schema itself is checked against the metaschema by the tests, not on every run."""
    from jsonschema import Draft202012Validator

    schema = load_manifest_schema()
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_errors(doc: Document, schema_validator: Validator) -> tuple[InputError, ...]:
    """Every schema violation of `doc`, one per line, in source order."""
    problems: list[Problem] = []
    for error in schema_validator.iter_errors(doc.value):
        problems.extend(_describe(error))
    return input_errors(doc, _drop_shadowed(problems))


def input_errors(doc: Document, problems: Iterable[Problem]) -> tuple[InputError, ...]:
    """Position, de-duplicate and sort problems (by line, column, then path)."""
    unique: dict[tuple[JsonPath, str], Problem] = {}
    for problem in problems:
        unique.setdefault((problem.path, problem.message), problem)
    located = [
        (doc.locate(p.path), _path_sort_key(p.path), i, p) for i, p in enumerate(unique.values())
    ]
    located.sort(key=lambda item: (item[0], item[1], item[2]))
    return tuple(
        InputError(
            SourceSpan(doc.source, line, column), problem.message, json_path_text(problem.path)
        )
        for (line, column), _, _, problem in located
    )


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate the user most likely meant, or None.

    Case, '_' and '-' are ignored first, so `hipaaBaa` and `Country` find their field
    even where difflib's ratio would be low; then difflib catches ordinary typos.
    """
    by_norm: dict[str, str] = {}
    for candidate in candidates:
        by_norm.setdefault(_normalise(candidate), candidate)
    norm = _normalise(word)
    if norm in by_norm and by_norm[norm] != word:
        return by_norm[norm]
    close = difflib.get_close_matches(norm, list(by_norm), n=1, cutoff=0.6)
    if close and by_norm[close[0]] != word:
        return by_norm[close[0]]
    return None


def name_list(names: Sequence[str]) -> str:
    """`a, b, c` with long lists cut short: an error line must stay one readable line."""
    shown = ", ".join(names[:_MAX_LISTED_NAMES])
    return shown + (", ..." if len(names) > _MAX_LISTED_NAMES else "")


def value_text(value: object) -> str:
    """A short, JSON-flavoured rendering of a value for error messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        shown = value if len(value) <= _MAX_VALUE_TEXT else value[: _MAX_VALUE_TEXT - 3] + "..."
        return repr(shown)
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "a list"
    return f"{type(value).__name__} {value!s:.{_MAX_VALUE_TEXT}}"


def _normalise(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _path_sort_key(path: JsonPath) -> tuple[tuple[int, int, str], ...]:
    # Indices compare as numbers ([2] before [10]); keys and indices never tie.
    return tuple((0, part, "") if isinstance(part, int) else (1, 0, part) for part in path)


def _drop_shadowed(problems: Sequence[Problem]) -> list[Problem]:
    # `5` for an enum of strings fails both `type` and `enum`; the type error says it all.
    typed = {p.path for p in problems if p.keyword == "type"}
    return [p for p in problems if p.keyword == "type" or p.path not in typed]


def _describe(error: ValidationError) -> Iterator[Problem]:
    path: JsonPath = tuple(error.absolute_path)
    keyword = str(error.validator)
    instance: Any = error.instance
    expected: Any = error.validator_value
    schema: Any = error.schema

    # Dumping every branch's failure buries the one the user was aiming for. best_match
    # descends from the error itself into its context towards the deepest branch error,
    # and hands the error back when no branch stands out.
    from jsonschema.exceptions import best_match

    best = best_match([error]) if keyword in ("oneOf", "anyOf") and error.context else error
    if best is not error:
        yield from _describe(best)
    elif keyword == "required":
        # jsonschema yields one error per missing field, each carrying the whole list;
        # the duplicates collapse in `input_errors`.
        for name in expected:
            if name not in instance:
                yield Problem(path, f"missing required field {name!r}", keyword)
    elif keyword == "additionalProperties" and isinstance(schema, Mapping):
        allowed = list(schema.get("properties", {}))
        for key in instance:
            if key in allowed:
                continue
            # A field the user already has cannot be the one they meant.
            unused = [name for name in allowed if name not in instance]
            yield Problem(path + (key,), _unknown_field(str(key), allowed, unused), keyword)
    elif keyword == "type":
        yield Problem(path, _type_message(expected, instance), keyword)
    elif keyword == "enum":
        message = f"{value_text(instance)} is not one of {', '.join(str(v) for v in expected)}"
        if isinstance(instance, str):
            guess = did_you_mean(instance, [str(v) for v in expected])
            message += f" (did you mean {guess!r}?)" if guess else ""
        yield Problem(path, message, keyword)
    elif keyword == "const":
        yield Problem(path, f"expected {value_text(expected)}, got {value_text(instance)}", keyword)
    elif keyword == "pattern":
        yield Problem(path, _pattern_message(str(expected), instance), keyword)
    elif keyword == "minItems":
        got = "an empty list" if not instance else f"{len(instance)}"
        plural = "" if expected == 1 else "s"
        yield Problem(path, f"expected at least {expected} item{plural}, got {got}", keyword)
    elif keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        bound = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}
        message = f"expected a value {bound[keyword]} {expected}, got {value_text(instance)}"
        yield Problem(path, message, keyword)
    else:
        # jsonschema's messages embed a repr of the instance, which can be a whole subtree.
        message = error.message
        if len(message) > _MAX_MESSAGE:
            message = message[: _MAX_MESSAGE - 3] + "..."
        yield Problem(path, message, keyword)


def _unknown_field(key: str, allowed: Sequence[str], unused: Sequence[str]) -> str:
    guess = did_you_mean(key, unused)
    if guess:
        return f"unknown field {key!r} (did you mean {guess!r}?)"
    if allowed:
        return f"unknown field {key!r} (allowed: {name_list(allowed)})"
    return f"unknown field {key!r}"


def _type_message(expected: str | list[str], instance: object) -> str:
    wanted = [expected] if isinstance(expected, str) else list(expected)
    phrase = " or ".join(_TYPE_PHRASES.get(t, t) for t in wanted)
    message = f"expected {phrase}, got {_typed_value(instance)}"
    if "string" in wanted and isinstance(instance, (bool, int, float)):
        # YAML turns unquoted NO (Norway), yes, 1.0, 2024 into non-strings.
        message += "; quote the value to make it a string"
    return message


def _typed_value(value: object) -> str:
    if isinstance(value, bool):
        return f"boolean {value_text(value)}"
    if value is None:
        return "null (an empty value)"
    if isinstance(value, str):
        return f"string {value_text(value)}"
    if isinstance(value, int):
        return f"integer {value}"
    if isinstance(value, float):
        return f"number {value}"
    return value_text(value)


def _pattern_message(pattern: str, instance: object) -> str:
    meaning = _PATTERN_MEANINGS.get(pattern)
    message = (
        f"{value_text(instance)} is not {meaning} (pattern {pattern})"
        if meaning
        else f"{value_text(instance)} does not match the pattern {pattern}"
    )
    if isinstance(instance, str):
        # Wrong case is the usual slip ('de', 'Card-Fraud'); offer the fixed value.
        for variant in (instance.upper(), instance.lower()):
            if variant != instance and re.search(pattern, variant):
                return message + f" (did you mean {variant!r}?)"
    return message
