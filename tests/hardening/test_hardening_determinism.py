"""Determinism: the same inputs, policies, data and as-of give byte-identical reports, in every
registered format (RENDERERS: a format added later is covered without editing this file),
across two runs and across both engines (whose name and version are evidence, and differ)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from checker.model import EngineInfo, Report
from checker.report import RENDERERS, RenderOptions
from checker.run import RunOptions, execute
from tests.conftest import FIXTURES, run_cli
from tests.test_cli import PHI_ABROAD

AS_OF = "2026-11-28"
WAIVERS = """\
waivers:
  - rule: HIPAA-RES-001
    deployment: phi-abroad
    reason: "residency exception approved for the EU research site, ticket SEC-42"
    approved_by: ciso@example.com
    expires: 2027-06-30
  - rule: GDPR-XFER-001
    deployment: nothing-matches-*
    reason: unused on purpose
    approved_by: dpo@example.com
    expires: 2027-01-31
"""


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], str]:
    root = tmp_path_factory.mktemp("determinism")
    (root / "phi-abroad.yaml").write_text(PHI_ABROAD)
    (root / "broken.yaml").write_text("kind: TrainingDeployment\nkind: again\n")
    (root / "waivers.yaml").write_text(WAIVERS)
    paths = [str(FIXTURES / "examples"), str(root / "phi-abroad.yaml"), str(root / "broken.yaml")]
    return paths, str(root / "waivers.yaml")


def options(inputs: tuple[list[str], str], engine: str) -> RunOptions:
    paths, waivers = inputs
    return RunOptions(
        paths=tuple(paths), as_of=AS_OF, engine=engine, waivers=Path(waivers), fail_on="warning"
    )


def rendered(report: Report) -> dict[str, str]:
    settings = RenderOptions(show_passed=True, verbose=True)
    return {name: renderer.render(report, settings) for name, renderer in RENDERERS.items()}


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_two_runs_of_the_cli_are_byte_identical(
    fmt: str, inputs: tuple[list[str], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The audit report says when it was generated: SOURCE_DATE_EPOCH fixes that time.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")
    paths, waivers = inputs
    args = ("check", "--engine", "embedded", "--as-of", AS_OF, "--waivers", waivers,
            "--show-passed", "-f", fmt)  # fmt: skip
    first = run_cli(*args, "-o", str(tmp_path / "first"), *paths)
    second = run_cli(*args, "-o", str(tmp_path / "second"), *paths)
    assert first.code == second.code == 2, first.err
    assert (tmp_path / "first").read_bytes() == (tmp_path / "second").read_bytes()
    assert first.err == second.err


def test_two_runs_and_both_engines_render_identically(
    inputs: tuple[list[str], str], opa_binary: str
) -> None:
    reports = {
        (engine, run): execute(options(inputs, engine))
        for engine in ("embedded", "opa")
        for run in (1, 2)
    }
    assert all(report.findings and report.problems for report in reports.values())
    assert {r.engine.name for r in reports.values()} == {"embedded", "opa"}
    # The engine block is evidence of what ran; everything else must be identical.
    neutral = EngineInfo("engine", "version")
    texts = {key: rendered(dataclasses.replace(r, engine=neutral)) for key, r in reports.items()}
    reference = texts[("embedded", 1)]
    for key, text in texts.items():
        for fmt in RENDERERS:
            assert text[fmt] == reference[fmt], f"{fmt} differs for {key}"
