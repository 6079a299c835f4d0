"""`tdcheck init` writes files that check clean; `tdcheck policy test` runs `opa test`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from checker.loader import load_path
from tests.conftest import ROOT, run_cli


def test_init_writes_a_compliant_manifest_and_a_valid_waivers_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "new"
    result = run_cli("init", str(target))
    assert result.code == 0, result.err
    manifest = target / "training-deployment.yaml"
    waivers = target / ".tdcheck-waivers.yaml"
    assert manifest.read_text().startswith("# An example tdcheck manifest")

    loaded = load_path(waivers, "w.yaml")
    schema = json.loads((ROOT / "schemas" / "waivers.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(loaded.documents[0].value)
    expires = dt.date.fromisoformat(loaded.documents[0].value["waivers"][0]["expires"])
    assert dt.date.today() < expires <= dt.date.today() + dt.timedelta(days=365)

    # Checked from the directory, so the default waivers file is read too: compliant,
    # no failure of any severity, and the example waiver is valid (else exit 2).
    monkeypatch.chdir(target)
    monkeypatch.delenv("TDCHECK_WAIVERS", raising=False)
    checked = run_cli("check", "--engine", "embedded", "-f", "json", "training-deployment.yaml")
    assert checked.code == 0, checked.out + checked.err
    report = json.loads(checked.out)
    assert report["summary"]["findings"]["fail"] == 0
    assert report["summary"]["findings"]["pass"] > 10
    assert "hipaa" in report["summary"]["frameworks_in_scope"]
    assert [w["rule"] for w in report["waivers"]] == ["HIPAA-ENC-001"]


def test_init_refuses_to_overwrite_unless_forced(tmp_path: Path) -> None:
    (tmp_path / ".tdcheck-waivers.yaml").write_text("mine\n")
    result = run_cli("init", str(tmp_path))
    assert result.code == 2 and "already exists (--force overwrites)" in result.err
    assert (tmp_path / ".tdcheck-waivers.yaml").read_text() == "mine\n"
    assert not (tmp_path / "training-deployment.yaml").exists()  # nothing half-written
    assert run_cli("init", "--force", str(tmp_path)).code == 0
    assert (tmp_path / ".tdcheck-waivers.yaml").read_text().startswith("# tdcheck waivers")


RULE = """\
package tdcheck.rules.org_tagging

import rego.v1

ok if input.kind == "TrainingDeployment"
"""
RULE_TEST = """\
package tdcheck.rules.org_tagging_test

import rego.v1

import data.tdcheck.rules.org_tagging

test_ok if org_tagging.ok with input as {"kind": "TrainingDeployment"}
"""


def test_policy_test_runs_builtin_and_organisation_tests(opa_binary: str, tmp_path: Path) -> None:
    org = tmp_path / "org"
    org.mkdir()
    (org / "tagging.rego").write_text(RULE)
    (org / "tagging_test.rego").write_text(RULE_TEST)
    passed = run_cli("policy", "test", "--policy", str(org))
    assert passed.code == 0, passed.out + passed.err
    assert "PASS" in passed.out

    (org / "tagging_test.rego").write_text(
        RULE_TEST.replace('{"kind": "TrainingDeployment"}', "{}")
    )
    failed = run_cli("policy", "test", "--policy", str(org))
    assert failed.code == 1
    assert "test_ok" in failed.out and "FAIL" in failed.out

    (org / "tagging_test.rego").write_text(RULE_TEST + "test_broken if undefined_thing\n")
    broken = run_cli("policy", "test", "--policy", str(org))
    assert broken.code == 3 and "could not run" in broken.err


def test_policy_test_without_opa_is_a_clear_exit_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no opa anywhere
    result = run_cli("policy", "test")
    assert result.code == 3
    assert result.err.startswith("tdcheck: error: opa is not on PATH")


def test_policy_test_rejects_a_missing_policy_directory(tmp_path: Path) -> None:
    result = run_cli("policy", "test", "--policy", str(tmp_path / "nope"))
    assert result.code == 2 and "--policy must name a directory" in result.err
