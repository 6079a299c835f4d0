"""JSON inputs have YAML's node limit: a document of more than 200,000 nodes (keys and values)
is refused with YAML's one located line, before validation or an engine sees it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from checker.loader.json_source import parse_json
from checker.loader.limits import DEFAULT_LIMITS, Limits
from checker.loader.yaml_source import parse_yaml
from tests.conftest import run_cli


def document(items: int) -> str:
    """A manifest-shaped document of 15 + `items` nodes, on one line (JSON, and YAML too)."""
    return json.dumps({
        "apiVersion": "tdcheck/v1", "kind": "TrainingDeployment",
        "metadata": {"name": "big", "labels": {}},
        "spec": {"x": list(range(items))},
    })  # fmt: skip


def test_a_json_file_past_the_limit_is_refused_as_the_same_yaml_file_is(tmp_path: Path) -> None:
    text = document(300_000)  # the review's case: accepted before, 1.5 MB
    lines = {}
    for suffix in ("json", "yaml"):  # JSON text is YAML (1.2 flow style): the same nodes
        path = tmp_path / f"big.{suffix}"
        path.write_text(text)
        result = run_cli("validate", "-f", "json", str(path))
        assert result.code == 2, result.err
        errors = [line for line in result.err.splitlines() if line.startswith("error: ")]
        assert len(errors) == 1, result.err
        lines[suffix] = errors[0].replace(str(path), "FILE")
    assert lines["json"] == lines["yaml"]
    assert lines["json"] == (
        f"error: FILE:1:{text.index('199985, ') + 1}: $.spec.x[199985]: "
        "document has more than 200000 nodes"
    )


@pytest.mark.parametrize("parse", [parse_json, parse_yaml])
def test_exactly_the_limit_is_allowed_in_both_formats(parse: Callable[..., Any]) -> None:
    assert DEFAULT_LIMITS.max_nodes == 200_000
    limits = Limits(max_nodes=15 + 10)
    documents, errors = parse(document(10), "m", limits)
    assert len(documents) == 1 and not errors
    documents, errors = parse(document(11), "m", limits)
    assert not documents
    assert [e.one_line() for e in errors] == [
        f"m:1:{document(11).index('10]') + 1}: $.spec.x[10]: document has more than 25 nodes"
    ]


def test_a_key_is_a_node_and_the_error_names_it() -> None:
    text = json.dumps({"a": [{"k": i} for i in range(12)]})  # 3 nodes, then 3 per item
    _, errors = parse_json(text, "m", Limits(max_nodes=25))
    at = [i for i in range(len(text)) if text.startswith('"k"', i)][7]  # a[7]'s key: node 26
    assert [e.one_line() for e in errors] == [
        f"m:1:{at + 1}: $.a[7].k: document has more than 25 nodes"
    ]
