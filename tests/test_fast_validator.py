"""checker/validate/fast.py answers "valid?" without jsonschema; it must agree with jsonschema.

A document the fast check accepts skips jsonschema entirely, so accepting one jsonschema
rejects would let a malformed manifest reach the integrity rules and the engine. Compared
here on every shipped manifest and waivers file, on generated manifests with targeted
mutations (type confusions jsonschema cares about: bool is not a number, 1.0 is an integer,
enum values of the wrong case...), and the schemas themselves are checked against the
metaschema here, once, instead of on every run.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from checker.validate.fast import Unsupported, compile_schema, schema_check
from checker.validate.schema import schema_path
from tests.strategies import manifests, value_paths

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ("manifest.schema.json", "waivers.schema.json")


def _schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(schema_path(name).read_text(encoding="utf-8"))
    return loaded


@cache
def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(_schema(name), format_checker=Draft202012Validator.FORMAT_CHECKER)


def _jsonschema_valid(name: str, value: Any) -> bool:
    return not any(True for _ in _validator(name).iter_errors(value))


@pytest.mark.parametrize("name", SCHEMAS)
def test_bundled_schemas_are_valid_and_fully_compiled(name: str) -> None:
    # The run no longer calls check_schema: a broken schema must fail here.
    Draft202012Validator.check_schema(_schema(name))
    compile_schema(_schema(name))  # raises Unsupported if a keyword is not implemented


def _shipped_documents() -> Iterator[tuple[str, Any]]:
    for path in sorted(ROOT.glob("fixtures/**/*.y*ml")) + sorted(ROOT.glob("tests/data/*.yaml")):
        for value in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            yield str(path.relative_to(ROOT)), value


def test_agrees_with_jsonschema_on_every_shipped_manifest() -> None:
    seen = 0
    for where, value in _shipped_documents():
        if isinstance(value, dict) and value.get("kind") == "TrainingDeployment":
            name = "manifest.schema.json"
        elif isinstance(value, dict) and "waivers" in value:
            name = "waivers.schema.json"
        else:
            continue
        assert schema_check(name)(value) == _jsonschema_valid(name, value), where
        seen += 1
    assert seen > 50


def _tricky(value: Any) -> list[Any]:
    """Values that differ from `value` in the ways JSON Schema keywords distinguish."""
    out: list[Any] = [None, True, False, 0, 1, 1.0, 1.5, -1, -0.5, 10**20, "", "x", [], {}]
    out += [[value], {"k": value}, str(value)]
    if isinstance(value, str):
        out += [value.upper(), value.lower(), value + "x", value[:-1], " " + value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        out += [value + 1, value - 1, -value, float(value), value * 1000, bool(value)]
    if isinstance(value, list):
        out += [value[:1], value * 2, [None], [1]]
    if isinstance(value, dict):
        out += [dict(list(value.items())[:1]), {**value, "unknown_field": 1}]
    return out


@st.composite
def mutated_manifests(draw: st.DrawFn) -> Any:
    value = copy.deepcopy(draw(manifests(max_stages=2)))
    for _ in range(draw(st.integers(0, 2))):
        paths = [p for p in value_paths(value) if p]
        path = draw(st.sampled_from(paths))
        parent = value
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(st.sampled_from(_tricky(parent[path[-1]])))
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["id", "name", "kind", "extra", "Country"]))] = 1
    return value


def _single_changes(value: Any) -> Iterator[Any]:
    """`value` with one node replaced by each of its tricky variants, or deleted."""
    for path in [p for p in value_paths(value) if p]:
        parent = value
        for part in path[:-1]:
            parent = parent[part]
        original = parent[path[-1]]
        for variant in _tricky(original):
            parent[path[-1]] = variant
            yield value
        if isinstance(parent, dict):
            del parent[path[-1]]
            yield value
        parent[path[-1]] = original


def test_agrees_with_jsonschema_on_every_single_field_change() -> None:
    example = ROOT / "fixtures" / "examples" / "healthcare-phi-on-premises.yaml"
    value = yaml.safe_load(example.read_text(encoding="utf-8"))
    name = "manifest.schema.json"
    verdicts = set()
    for changed in _single_changes(value):
        verdict = schema_check(name)(changed)
        assert verdict == _jsonschema_valid(name, changed), json.dumps(changed)[:2000]
        verdicts.add(verdict)
    assert verdicts == {True, False}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_manifests())
def test_agrees_with_jsonschema_on_mutated_manifests(value: Any) -> None:
    name = "manifest.schema.json"
    assert schema_check(name)(value) == _jsonschema_valid(name, value)


WAIVER = {
    "rule": "HIPAA-ENC-001",
    "stage": "train",
    "reason": "encrypted SAN",
    "approved_by": "ciso@example.com",
    "expires": "2027-01-31",
}


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(WAIVER) + ["deployment", "location"]), st.data())
def test_agrees_with_jsonschema_on_mutated_waivers(key: str, data: st.DataObject) -> None:
    entry: dict[str, Any] = dict(WAIVER)
    entry[key] = data.draw(st.sampled_from(_tricky(entry.get(key, "*"))))
    for value in ({"waivers": [entry]}, {"waivers": [WAIVER, entry], "extra": 1}, [entry]):
        name = "waivers.schema.json"
        assert schema_check(name)(value) == _jsonschema_valid(name, value)


def test_an_unknown_keyword_sends_every_document_to_jsonschema() -> None:
    with pytest.raises(Unsupported):
        compile_schema({"type": "object", "propertyNames": {"pattern": "^a"}})
    with pytest.raises(Unsupported):
        compile_schema({"$ref": "https://example.com/other.json"})
    check = compile_schema({"type": "integer", "minimum": 1, "enum": [1, 2, True]})
    assert [check(v) for v in (1, 1.0, 2, True, 0, "1")] == [True, True, True, False, False, False]
    check = compile_schema({"enum": [1, None, "a"]})  # jsonschema: True is not 1, 1.0 is
    assert [check(v) for v in (True, 1.0, None, 0, "a", ["a"])] == [False, True, True] + [
        False,
        True,
        False,
    ]
