"""A precompiled yes/no check of the bundled JSON Schemas, without importing jsonschema.

Importing jsonschema (with referencing, attrs, rpds) costs about 60 ms, a sixth of a
one-manifest pre-commit run, and nearly every manifest checked is valid. This module
compiles a schema once into nested closures that answer only "valid or not"; when the
answer is "not", the caller asks jsonschema for the located, rephrased messages
(schema.py), so users see exactly what they saw before.

It must never accept a document that jsonschema rejects: it implements jsonschema's
semantics of the keywords the bundled schemas use (bool is not a number, 1.0 is an
integer, `pattern` is `re.search`, checks of one type ignore values of another), and a
keyword it does not know makes the whole schema `Unsupported`: every document then goes to
jsonschema. tests/test_fast_validator.py compares both on generated and mutated manifests.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

Check = Callable[[Any], bool]

# Annotations: they never make a document invalid.
_IGNORED = frozenset(
    {"$schema", "$id", "$defs", "$comment", "title", "description", "default", "examples"}
)
_TYPES: Mapping[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
}


class Unsupported(Exception):
    """The schema uses a keyword (or a form of one) this module does not implement."""


def _never(_value: Any) -> bool:
    return False


@lru_cache(maxsize=4)
def schema_check(name: str) -> Check:
    """The compiled check of a bundled schema; one that always says "ask jsonschema" when the
    schema is beyond this module (a new keyword must not silently be ignored)."""
    from checker.validate.schema import schema_path

    with schema_path(name).open(encoding="utf-8") as handle:
        schema = json.load(handle)
    try:
        return compile_schema(schema)
    except Unsupported:
        return _never


def compile_schema(root: Mapping[str, Any]) -> Check:
    defs: dict[str, Check] = {}

    def ref(target: str) -> Check:
        prefix = "#/$defs/"
        name = target[len(prefix) :]
        if not target.startswith(prefix) or name not in root.get("$defs", {}):
            raise Unsupported(f"$ref {target}")
        if name not in defs:
            defs[name] = _never  # a recursive $ref sees the final check through the dict
            defs[name] = build(root["$defs"][name])
        return lambda value: defs[name](value)

    def build(schema: Any) -> Check:
        if schema is True:
            return lambda _value: True
        if not isinstance(schema, Mapping):
            raise Unsupported(f"schema {schema!r}")
        checks: list[Check] = []
        for keyword, argument in schema.items():
            if keyword in _IGNORED:
                continue
            if keyword == "$ref":
                checks.append(ref(argument))
            elif keyword in ("properties", "additionalProperties"):
                if keyword == "properties" or "properties" not in schema:
                    checks.append(_object(schema, build))
            else:
                checks.append(_keyword(keyword, argument, build))
        return lambda value: all(check(value) for check in checks)

    return build(root)


def _object(schema: Mapping[str, Any], build: Callable[[Any], Check]) -> Check:
    properties = {key: build(sub) for key, sub in schema.get("properties", {}).items()}
    extra_schema = schema.get("additionalProperties", True)
    extra = None if extra_schema is False else build(extra_schema)

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return True
        for key, item in value.items():
            sub = properties.get(key, extra)
            if sub is None or not sub(item):
                return False
        return True

    return check


def _keyword(keyword: str, argument: Any, build: Callable[[Any], Check]) -> Check:
    if keyword == "type":
        names = [argument] if isinstance(argument, str) else list(argument)
        if any(name not in _TYPES for name in names):
            raise Unsupported(f"type {argument!r}")
        types = [_TYPES[name] for name in names]
        return lambda value: any(is_type(value) for is_type in types)
    if keyword in ("enum", "const"):
        allowed = list(argument) if keyword == "enum" else [argument]
        if not all(isinstance(a, (str, int, float, bool)) or a is None for a in allowed):
            raise Unsupported(f"{keyword} with a container")
        strings = frozenset(a for a in allowed if isinstance(a, str))
        others = [a for a in allowed if not isinstance(a, str)]
        return lambda value: (
            value in strings if isinstance(value, str) else any(_equal(value, a) for a in others)
        )
    if keyword == "required":
        names = list(argument)
        return lambda value: not isinstance(value, dict) or all(n in value for n in names)
    if keyword == "items":
        item = build(argument)
        return lambda value: not isinstance(value, list) or all(item(v) for v in value)
    if keyword == "pattern":
        search = re.compile(argument).search
        return lambda value: not isinstance(value, str) or search(value) is not None
    return _bound(keyword, argument)


def _bound(keyword: str, limit: Any) -> Check:
    if keyword in ("minItems", "maxItems", "minLength", "maxLength"):
        kind: type[list[Any]] | type[str] = list if keyword.endswith("Items") else str
        low = keyword.startswith("min")

        def sized(value: Any) -> bool:
            if not isinstance(value, kind):
                return True
            return bool(len(value) >= limit if low else len(value) <= limit)

        return sized
    compare: Callable[[Any], bool]
    if keyword == "minimum":
        compare = lambda v: v >= limit  # noqa: E731
    elif keyword == "maximum":
        compare = lambda v: v <= limit  # noqa: E731
    elif keyword == "exclusiveMinimum":
        compare = lambda v: v > limit  # noqa: E731
    elif keyword == "exclusiveMaximum":
        compare = lambda v: v < limit  # noqa: E731
    else:
        raise Unsupported(keyword)
    return lambda value: not _TYPES["number"](value) or compare(value)


def _equal(value: Any, allowed: Any) -> bool:
    """jsonschema's equality for scalars: True is not 1, 1 is 1.0; containers never match
    a scalar."""
    if isinstance(value, bool) or isinstance(allowed, bool):
        return value is allowed
    if value is None or allowed is None:
        return value is allowed
    if isinstance(value, (int, float)):
        return bool(value == allowed)
    return False
