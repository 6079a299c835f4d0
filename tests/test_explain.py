"""`tdcheck explain RULE_ID`: the rule from its METADATA plus its failing and passing examples."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from checker.commands.explain import explanation, render_text, rule_examples_dir
from tests.conftest import FIXTURES, ROOT, run_cli


def test_text_says_what_why_how_and_shows_both_examples(policy_set) -> None:  # type: ignore[no-untyped-def]
    meta = policy_set.rule("HIPAA-BAA-001")
    result = run_cli("explain", "HIPAA-BAA-001")
    assert result.code == 0, result.err
    out = result.out
    assert out.startswith(f"HIPAA-BAA-001: {meta.title}\n")
    assert "framework hipaa, severity error" in out
    for heading in ("What it checks", "Why", "How to fix"):
        assert f"\n{heading}\n" in out
    assert meta.citation in out
    assert " ".join(out.split()).count(meta.remediation) == 1
    assert "Failing example (fixtures/rules/HIPAA-BAA-001/fail.yaml)" in out
    assert "      hipaa_baa: false" in out  # the failing manifest itself, indented
    # The passing example as the change that makes it pass.
    assert "-      hipaa_baa: false" in out and "+      hipaa_baa: true" in out
    assert result.err == ""


def test_json_carries_the_metadata_and_the_example_files(policy_set) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("explain", "ITAR-LOC-001", "--format", "json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    meta = policy_set.rule("ITAR-LOC-001")
    assert (doc["id"], doc["framework"], doc["severity"], doc["subject"]) == (
        "ITAR-LOC-001",
        "itar",
        "error",
        "stage",
    )
    assert (doc["title"], doc["citation"], doc["remediation"]) == (
        meta.title,
        meta.citation,
        meta.remediation,
    )
    for outcome, verb in (("fail", "fails"), ("pass", "passes")):
        example = doc["examples"][outcome]
        path = FIXTURES / "rules" / "ITAR-LOC-001" / f"{outcome}.yaml"
        assert example["file"] == f"fixtures/rules/ITAR-LOC-001/{outcome}.yaml"
        assert example["manifest"] == path.read_text(encoding="utf-8")
        assert example["summary"].startswith(f"ITAR-LOC-001 {verb}:")


def test_every_rule_explains_with_both_examples(policy_set) -> None:  # type: ignore[no-untyped-def]
    # In-process (the CLI path is covered above): one policy load, not one per rule.
    for meta in policy_set.rules:
        examples = explanation(meta, policy_set.data)["examples"]
        assert examples["fail"] and examples["pass"], meta.rule_id
        assert render_text(explanation(meta, policy_set.data)).count("example (fixtures/") == 2


def test_unknown_id_exits_2_with_one_line_suggesting_close_ids() -> None:
    result = run_cli("explain", "HIPAA-BA-001")
    assert result.code == 2
    assert result.out == ""
    assert result.err.count("\n") == 1
    assert "unknown rule id 'HIPAA-BA-001'" in result.err
    assert "did you mean HIPAA-BAA-001" in result.err


def test_unknown_id_without_neighbours_still_points_to_the_catalogue() -> None:
    result = run_cli("explain", "NOPE")
    assert result.code == 2
    assert "did you mean" not in result.err and "tdcheck rules" in result.err


def test_lower_case_id_is_accepted() -> None:
    result = run_cli("explain", "cls-net-001", "-f", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["id"] == "CLS-NET-001"


def test_severity_chosen_by_the_organisation_is_shown(tmp_path: Path) -> None:
    default = json.loads(run_cli("explain", "HIPAA-ENC-001", "-f", "json").out)
    assert default["severity"] == "warning"
    assert default["severity_from"] == "data.tdcheck.org.hipaa_encryption_severity"
    data = tmp_path / "org.yaml"
    data.write_text("tdcheck:\n  org:\n    hipaa_encryption_severity: error\n")
    result = run_cli("explain", "HIPAA-ENC-001", "--data", str(data))
    assert result.code == 0, result.err
    assert "severity error (the organisation's choice" in result.out


def test_examples_ship_in_the_wheel_where_explain_looks_first() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert include["fixtures/rules"] == "checker/fixtures/rules"
    # In a checkout the installed location does not exist, so the source tree is used.
    assert rule_examples_dir() == FIXTURES / "rules"
