"""`-o FILE` is written whole or not at all: CI uploads whatever file a gate leaves behind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from checker.report.json_report import JsonRenderer
from tests.conftest import FIXTURES, run_cli

EXAMPLE = str(FIXTURES / "examples" / "defence-air-gapped.yaml")


def test_the_report_file_is_complete_and_no_partial_file_is_left(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = run_cli("check", "--engine", "embedded", "-f", "json", "-o", str(out), EXAMPLE)
    assert result.code in (0, 1)
    assert out.read_text().rstrip().endswith("}")
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_a_render_that_fails_midway_keeps_the_previous_report_and_leaves_no_partial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report.json"
    out.write_text("previous complete report\n")

    def failing_chunks(self: Any, report: Any, options: Any) -> Iterator[str]:
        yield '{"half": '
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(JsonRenderer, "chunks", failing_chunks)
    result = run_cli("check", "--engine", "embedded", "-f", "json", "-o", str(out), EXAMPLE)
    assert result.code == 2
    assert "cannot write the report: No space left on device" in result.err
    assert out.read_text() == "previous complete report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_a_planted_partial_symlink_is_never_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    out = tmp_path / "report.json"
    (tmp_path / ".report.json.tdcheck-partial").symlink_to(victim)
    result = run_cli("check", "--engine", "embedded", "-f", "json", "-o", str(out), EXAMPLE)
    assert result.code in (0, 1), result.err
    assert victim.read_text() == "precious\n"
    assert out.read_text().rstrip().endswith("}")
    assert not out.is_symlink()


@pytest.mark.parametrize("target", ["/dev/null", "/", "."])
def test_a_target_that_is_not_a_regular_file_is_refused(target: str, tmp_path: Path) -> None:
    result = run_cli("check", "--engine", "embedded", "-o", target, EXAMPLE)
    assert result.code == 2, result.err
    assert len(result.err.strip().splitlines()) == 1
    assert "internal error" not in result.err
    assert Path("/dev/null").is_char_device()


def test_the_report_file_gets_ordinary_permissions(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    assert run_cli("check", "--engine", "embedded", "-f", "json", "-o", str(out), EXAMPLE).code < 2
    assert out.stat().st_mode & 0o644 == 0o644


def test_bundle_refuses_a_device(tmp_path: Path) -> None:
    result = run_cli("bundle", "-q", "-o", "/dev/null")
    assert result.code == 2
    assert "not a regular file" in result.err
