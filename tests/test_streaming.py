"""The run streams: it lets each chunk's documents go, keeps findings in its spool, and the
chunking changes no byte of any report (docs/performance.md)."""

from __future__ import annotations

import dataclasses
import gc
from pathlib import Path

import pytest

from checker import run
from checker.loader import Document
from checker.model import Finding, Movement, Severity, StoredFindings, Waiver
from checker.report import RENDERERS, RenderOptions
from checker.spool import Spool
from tests.conftest import FIXTURES, ROOT
from tests.test_cli import PHI_ABROAD

AS_OF = "2026-11-28"
EXAMPLE = (ROOT / "tests" / "data" / "example-manifest.yaml").read_text()
WAIVERS = """\
waivers:
  - rule: HIPAA-RES-001
    deployment: phi-abroad
    reason: "residency exception for the EU research site, ticket SEC-42"
    approved_by: ciso@example.com
    expires: 2027-06-30
  - rule: HYB-ENC-001
    reason: "expired on purpose: every such failure gets a WAIVER-EXPIRED finding"
    approved_by: ciso@example.com
    expires: 2026-11-01
  - rule: HIPAA-RES-001
    deployment: card-fraud-retraining
    reason: "unused on purpose: the example passes every rule"
    approved_by: dpo@example.com
    expires: 2027-01-31
"""


def manifests(directory: Path, count: int) -> Path:
    directory.mkdir()
    for i in range(count):
        text = EXAMPLE.replace("card-fraud-retraining", f"card-fraud-{i}")
        (directory / f"m{i:02}.yaml").write_text(text)
    return directory


def loaded_documents(prefix: str) -> int:
    """Documents of real manifests alive now (not the one-name stand-ins of the name check)."""
    gc.collect()
    return sum(
        1
        for o in gc.get_objects()
        if type(o) is Document and o.source.startswith(prefix) and len(o.positions) > 1
    )


def test_the_run_lets_go_of_each_chunks_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run, "CHUNK", 2)
    directory = manifests(tmp_path / "batch", 8)
    held: list[int] = []
    calls: list[tuple[str, int]] = []

    def progress(phase: str, done: int, total: int) -> None:
        calls.append((phase, done))
        if phase == "load":
            held.append(loaded_documents(str(directory)))

    options = run.RunOptions(paths=(str(directory),), as_of=AS_OF, engine="embedded")
    report = run.execute(options, progress=progress)
    assert report.manifests_valid == 8 and not report.problems
    assert len(held) == 8 and max(held) <= 2, held  # one chunk at most, never the batch
    assert loaded_documents(str(directory)) == 0  # the report holds no document
    assert isinstance(report.findings, StoredFindings) and len(report.findings) > 8
    # Reading and evaluating alternate; the bar they draw never moves back.
    assert [phase for phase, _ in calls].count("evaluate") >= 4
    assert [done for _, done in calls] == sorted(done for _, done in calls)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[tuple[str, ...], Path]:
    root = tmp_path_factory.mktemp("streaming")
    (root / "z-phi-abroad.yaml").write_text(PHI_ABROAD)
    (root / "broken.yaml").write_text("kind: TrainingDeployment\nkind: again\n")
    two = EXAMPLE + "---\n" + EXAMPLE.replace("card-fraud-retraining", "second-in-file")
    (root / "two-in-one.yaml").write_text(two)
    (root / "again.yaml").write_text(EXAMPLE)
    (root / "waivers.yaml").write_text(WAIVERS)
    # Read in this order, reported in path order; the last file reuses a name (an error).
    paths = (
        str(root / "z-phi-abroad.yaml"),
        str(FIXTURES / "violations" / "fraud-retraining-hybrid.yaml"),
        str(root / "broken.yaml"),
        str(root / "two-in-one.yaml"),
        str(FIXTURES / "violations" / "llm-pretraining-cloud.yaml"),
        str(FIXTURES / "examples" / "research-cloud-spot.yaml"),
        str(root / "again.yaml"),
    )
    return paths, root / "waivers.yaml"


def rendered(report: run.Report) -> dict[str, str]:
    settings = RenderOptions(show_passed=True, verbose=True)
    return {name: renderer.render(report, settings) for name, renderer in RENDERERS.items()}


def test_chunks_change_no_byte_of_any_format(
    inputs: tuple[tuple[str, ...], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    paths, waivers = inputs
    options = run.RunOptions(
        paths=paths, as_of=AS_OF, engine="embedded", waivers=waivers, fail_on="warning"
    )
    monkeypatch.setattr(run, "CHUNK", 3)
    chunked = run.execute(options)
    monkeypatch.setattr(run, "CHUNK", 10_000)
    whole = run.execute(options)
    findings = tuple(chunked.findings)
    assert findings == tuple(sorted(findings, key=Finding.sort_key))
    statuses = {f.status for f in findings}
    assert statuses == {"pass", "fail", "waived"} and chunked.unused_waivers
    assert any(f.rule_id == "WAIVER-EXPIRED" for f in findings)
    assert any("duplicate deployment name" in p.message for p in chunked.problems)
    # The same report held in memory: the tuple path of every renderer, counted afresh.
    held = dataclasses.replace(
        chunked, findings=findings, topologies=tuple(chunked.topologies), tally=None
    )
    reference = rendered(held)
    assert rendered(chunked) == reference
    assert rendered(whole) == reference
    assert chunked.exit_code() == held.exit_code() == 3 - 1  # input errors: 2


def finding(manifest: str, rule: str, message: str, waiver: Waiver | None = None) -> Finding:
    return Finding(
        rule_id=rule,
        framework="hipaa",
        severity=Severity.ERROR,
        status="waived" if waiver else "fail",
        subject="movement",
        stage=None,
        location=None,
        transfer=Movement("a", "b", ("x",)),
        message=message,
        path=("spec", "transfers", 0),
        title="own title",
        citation="own citation",
        remediation="own remediation",
        manifest=manifest,
        deployment="d",
        line=3,
        column=5,
        waiver=waiver,
    )


def test_the_spool_gives_back_what_it_was_given_in_report_order() -> None:
    waiver = Waiver("R-1", "because", "ciso@example.com", "2027-01-31")
    spool = Spool((), (waiver,))
    b1 = [finding("b.yaml", "R-1", "first"), finding("b.yaml", "R-2", "x", waiver)]
    a = [finding("a.yaml", "R-1", "only")]
    b2 = [finding("b.yaml", "R-1", "again")]  # the same path read twice: merged, stable
    for part in (b1, a, b2):
        spool.add(part[0].manifest, part, ())
    stored = spool.findings()
    assert list(stored) == sorted([*b1, *a, *b2], key=Finding.sort_key)
    assert list(stored.of_manifest("b.yaml")) == sorted([*b1, *b2], key=Finding.sort_key)
    assert list(stored.manifests()) == ["a.yaml", "b.yaml"] and len(stored) == 4
    assert next(f for f in stored if f.waiver).waiver is waiver
    spool.close()
