"""YAML 1.2 core-schema scalar resolution and the few standard tags we accept.

PyYAML's own resolver follows YAML 1.1, where `NO` is false, `0755` is octal and
`1:20` is sexagesimal; manifests written for humans must not be silently reinterpreted.
"""

from __future__ import annotations

import math
import re
from typing import Any

from checker.loader.limits import FLOAT_RANGE_PROBLEM, float_out_of_range

STD = "tag:yaml.org,2002:"
STR_TAG = STD + "str"
INT_TAG = STD + "int"
FLOAT_TAG = STD + "float"
BOOL_TAG = STD + "bool"
NULL_TAG = STD + "null"
MAP_TAG = STD + "map"
SEQ_TAG = STD + "seq"

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT_DEC = re.compile(r"[-+]?[0-9]+")
_INT_OCT = re.compile(r"0o[0-7]+")
_INT_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_NON_FINITE = re.compile(r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
# Only these first characters can start a non-string plain scalar; the rest skip the regexes.
_SPECIAL_START = frozenset("-+.0123456789~nNtTfF")

_NOT_FINITE = "is not a finite number; JSON has no NaN/Infinity"


class ScalarProblem(Exception):
    """A scalar that cannot become a JSON value; the message is user-facing."""


def tag_text(tag: str) -> str:
    """`!!int` rather than `tag:yaml.org,2002:int`: the form the user wrote."""
    return "!!" + tag[len(STD) :] if tag.startswith(STD) else tag


def _int(text: str) -> int | None:
    try:
        if _INT_DEC.fullmatch(text):
            return int(text, 10)
        if _INT_OCT.fullmatch(text) or _INT_HEX.fullmatch(text):
            return int(text, 0)
    except ValueError as exc:  # Python refuses >4300-digit integers
        raise ScalarProblem(f"integer {text[:20]}... is too long ({exc})") from None
    return None


def _float(text: str) -> float | None:
    if _NON_FINITE.fullmatch(text):
        raise ScalarProblem(f"{text!r} {_NOT_FINITE}")
    if not _FLOAT.fullmatch(text):
        return None
    value = float(text)
    if not math.isfinite(value):
        raise ScalarProblem(f"{text[:40]!r} {_NOT_FINITE}")
    if float_out_of_range(value):
        raise ScalarProblem(f"{text[:40]!r} {FLOAT_RANGE_PROBLEM}")
    return value


def resolve_plain(text: str) -> Any:
    """The value of an untagged plain scalar under the YAML 1.2 core schema."""
    if text and text[0] not in _SPECIAL_START:
        return text
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    number = _int(text)
    if number is not None:
        return number
    real = _float(text)
    return text if real is None else real


def apply_tag(tag: str, text: str) -> Any:
    """The value of a scalar with an explicit tag; anything outside the JSON types is refused."""
    if tag == STR_TAG:
        return text
    if tag == INT_TAG:
        number = _int(text)
        if number is None:
            raise ScalarProblem(f"!!int value {text!r} is not an integer")
        return number
    if tag == FLOAT_TAG:
        real = _int(text)
        if real is not None:
            try:
                converted = float(real)
            except OverflowError:  # `!!float 1000...0` with 400 digits
                raise ScalarProblem(f"{text[:40]!r} {FLOAT_RANGE_PROBLEM}") from None
            if float_out_of_range(converted):
                raise ScalarProblem(f"{text[:40]!r} {FLOAT_RANGE_PROBLEM}")
            return converted
        value = _float(text)
        if value is None:
            raise ScalarProblem(f"!!float value {text!r} is not a number")
        return value
    if tag == BOOL_TAG:
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        raise ScalarProblem(f"!!bool value {text!r} is not true or false")
    if tag == NULL_TAG:
        if text in _NULLS:
            return None
        raise ScalarProblem(f"!!null value {text!r} is not null")
    if tag in (MAP_TAG, SEQ_TAG):
        raise ScalarProblem(f"tag {tag_text(tag)} cannot be applied to a scalar")
    raise ScalarProblem(unsupported_tag(tag))


def unsupported_tag(tag: str) -> str:
    return (
        f"tag {tag_text(tag)} is not allowed; only the standard "
        "!!str, !!int, !!float, !!bool, !!null, !!map and !!seq tags are"
    )


def describe(value: Any) -> str:
    """How a non-string key is named in an error: by its YAML type, then its text."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"integer {value}"
    if isinstance(value, float):
        return f"number {value!r}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a sequence"
    return type(value).__name__
