"""NO_COLOR per no-color.org (only a non-empty value turns colour off) and what -q leaves."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from checker.cli import main
from tests.test_cli import CLEAN, PHI_ABROAD

ESC = "\x1b["


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run_on_terminal(*argv: str) -> tuple[int, str]:
    out, err = Terminal(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, stdin=io.BytesIO(b""))
    return code, out.getvalue()


@pytest.fixture
def manifest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    for name in ("TDCHECK_COLOR", "TDCHECK_NO_COLOR", "TDCHECK_FORMAT"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "m.yaml").write_text(PHI_ABROAD)
    return "m.yaml"


@pytest.mark.parametrize(("value", "coloured"), [(None, True), ("", True), ("1", False)])
def test_no_color_only_when_set_and_not_empty(
    manifest: str, monkeypatch: pytest.MonkeyPatch, value: str | None, coloured: bool
) -> None:
    if value is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", value)
    code, out = run_on_terminal("check", "--engine", "embedded", manifest)
    assert code == 1
    assert (ESC in out) is coloured


def test_quiet_text_output_is_failures_and_the_summary(
    manifest: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    (tmp_path / "clean.yaml").write_text(CLEAN)
    (tmp_path / "m2.yaml").write_text(PHI_ABROAD.replace("phi-abroad", "phi-abroad-two"))
    (tmp_path / "configmap.yaml").write_text("apiVersion: v1\nkind: ConfigMap\n")
    (tmp_path / "w.yaml").write_text(
        "waivers:\n"
        "  - {rule: HIPAA-RES-001, deployment: phi-abroad, reason: r, approved_by: a,\n"
        "     expires: 2026-07-01}\n"
        "  - {rule: GDPR-XFER-001, reason: r, approved_by: a, expires: 2026-07-01}\n"
    )
    args = ["check", "--engine", "embedded", "--as-of", "2026-06-01", "--waivers", "w.yaml"]
    args += ["--show-passed", "--skip-non-manifests", "m.yaml", "m2.yaml", "clean.yaml"]
    args += ["configmap.yaml"]
    code, loud = run_on_terminal(*args)
    code_quiet, quiet = run_on_terminal(*args, "-q")
    assert code == code_quiet == 1
    assert (
        ("PASS " in loud or "PASS*" in loud)
        and "WAIVED" in loud
        and "notice: waiver GDPR-XFER-001" in loud
    )
    lines = quiet.splitlines()
    fails = [line for line in lines if line.strip().startswith("FAIL ")]
    assert (
        fails and [line for line in loud.splitlines() if line.strip().startswith("FAIL ")] == fails
    )
    assert "PASS" not in quiet and "WAIVED" not in quiet and "notice" not in quiet
    assert "clean.yaml" not in quiet and "m.yaml" not in quiet  # nothing failed there
    assert lines[-1].startswith("tdcheck: 3 manifest(s)")
