"""conftest users run our rule library through policies/conftest/: same failures as tdcheck."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURES, ROOT, require_tool, run_cli

AS_OF = "2026-11-28"
FAILING = sorted(FIXTURES.glob("rules/*/fail.yaml"))


def _conftest(*args: str) -> subprocess.CompletedProcess[str]:
    binary = require_tool("conftest")
    return subprocess.run(
        [binary, "test", "--policy", str(ROOT / "policies"), "--namespace", "main", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


def test_the_documented_command_reports_the_failure() -> None:
    done = _conftest("--no-color", "fixtures/rules/HIPAA-BAA-001/fail.yaml")
    assert done.returncode == 1, done.stderr
    assert (
        "FAIL - fixtures/rules/HIPAA-BAA-001/fail.yaml - main - HIPAA-BAA-001: stage train at "
        "burst-cloud (US) handles PHI (sepsis-model, vitals-features); its operator is a third "
        "party and no BAA covers it (hipaa_baa is false)"
    ) in done.stdout


def test_conftest_reports_exactly_tdcheck_failures(tmp_path: Path) -> None:
    """deny = failing errors, warn = failing warnings and advisories, msg = "ID: message"."""
    data = tmp_path / "as_of.json"
    data.write_text(json.dumps({"tdcheck": {"as_of": AS_OF}}))
    paths = [p.relative_to(ROOT).as_posix() for p in FAILING]
    done = _conftest("--data", str(data), "--output", "json", *paths)
    assert done.returncode == 1, done.stderr
    seen: set[tuple[str, str, str]] = set()
    for result in json.loads(done.stdout):
        for kind, key in (("deny", "failures"), ("warn", "warnings")):
            seen |= {(result["filename"], kind, r["msg"]) for r in result.get(key) or []}
    report = run_cli("check", "--engine", "embedded", "--as-of", AS_OF, "-f", "json", *paths)
    expected = {
        (
            f["manifest"],
            "deny" if f["severity"] == "error" else "warn",
            f"{f['rule_id']}: {f['message']}",
        )
        for f in json.loads(report.out)["findings"]
        # conftest reads no Terraform: the evidence rules have nothing to judge there
        if f["status"] == "fail" and not f["rule_id"].startswith("EVID-")
    }
    assert seen == expected
    assert len(expected) >= len(FAILING)


def test_catalogue_matches_the_rules_and_data() -> None:
    done = subprocess.run(
        [sys.executable, "tools/conftest_catalogue.py", "--check"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_checker_never_loads_the_conftest_package(policy_set) -> None:  # type: ignore[no-untyped-def]
    names = [name for name, _ in policy_set.modules]
    assert not [name for name in names if "conftest" in name]
    assert not [src for _, src in policy_set.modules if src.lstrip().startswith("package main")]
