"""Every rule has a failing and a passing example manifest, checked on every engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES, evaluate_file

RULE_DIRS = sorted(p for p in (FIXTURES / "rules").iterdir() if p.is_dir())


def test_every_rule_has_both_examples(policy_set) -> None:  # type: ignore[no-untyped-def]
    ids = {m.rule_id for m in policy_set.rules}
    have = {
        p.name for p in RULE_DIRS if (p / "fail.yaml").is_file() and (p / "pass.yaml").is_file()
    }
    assert ids - have == set(), "rules without fixtures/rules/<ID>/{fail,pass}.yaml"


@pytest.mark.parametrize("engine_name", ["embedded_engine", "wasm_engine", "opa_engine"])
@pytest.mark.parametrize("rule_dir", RULE_DIRS, ids=lambda p: p.name)
def test_rule_example(rule_dir: Path, engine_name: str, request, policy_set) -> None:  # type: ignore[no-untyped-def]
    engine = request.getfixturevalue(engine_name)
    rule_id = rule_dir.name
    failing = [
        f
        for f in evaluate_file(engine, policy_set, rule_dir / "fail.yaml")
        if f["rule_id"] == rule_id
    ]
    assert any(f["status"] == "fail" for f in failing), f"{rule_id}: fail.yaml produced no failure"
    passing = [
        f
        for f in evaluate_file(engine, policy_set, rule_dir / "pass.yaml")
        if f["rule_id"] == rule_id
    ]
    assert passing, f"{rule_id}: the rule does not apply to pass.yaml"
    assert {f["status"] for f in passing} == {"pass"}, passing
