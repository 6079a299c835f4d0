"""A manifest with thousands of errors stays readable: at most MAX_ERRORS_PER_FILE located
errors per file, then one line saying how many more there are and where they start.

The manifests are generated: 3,000 stages that each read their own output (3,000 cycles),
3,000 dangling ids, 3,000 schema errors, a waivers file with 3,000 unknown rule ids, and
thousands of stages writing one dataset that thousands read (the stage graph of that one
took gigabytes before it was built from datasets).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from checker.validate import cap, integrity
from checker.validate.cap import MAX_ERRORS_PER_FILE
from tests.conftest import ROOT, run_cli
from tests.test_cli import CLEAN, PHI_ABROAD

MANY = 3000
HEAD = """\
apiVersion: tdcheck/v1
kind: TrainingDeployment
metadata: {name: many}
spec:
  locations:
    - {id: here, kind: on_premises, country: US}
"""


def manifest(datasets: list[str], stages: list[str]) -> str:
    lines = [HEAD, "  datasets:\n"]
    lines += [f"    - {{{d}}}\n" for d in datasets]
    lines += ["  stages:\n"]
    lines += [f"    - {{{s}}}\n" for s in stages]
    return "".join(lines)


def self_cycles(n: int = MANY) -> str:
    return manifest(
        [f"id: d{i}, classifications: [internal]" for i in range(n)],
        [
            f"id: s{i}, type: training, location: here, inputs: [d{i}], outputs: [d{i}]"
            for i in range(n)
        ],
    )


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def error_lines(output: str, path: str) -> list[str]:
    return [line for line in output.splitlines() if path in line]


def test_three_thousand_cycles_give_the_first_errors_and_one_located_summary(
    tmp_path: Path,
) -> None:
    text = self_cycles()
    path = tmp_path / "cycles.yaml"
    path.write_text(text)
    result = run_cli("validate", str(path))
    assert result.code == 2
    lines = error_lines(result.out + result.err, str(path))
    assert len(lines) == MAX_ERRORS_PER_FILE + 1
    assert all("cycle in the stage graph" in line for line in lines[:-1])
    # Sorted by position as before: the first stages' cycles, in order.
    assert "stage s0 -> s0 (via datasets 'd0')" in lines[0]
    assert f"stage s{MAX_ERRORS_PER_FILE - 1} -> " in lines[-2]
    omitted = MANY - MAX_ERRORS_PER_FILE
    first_omitted = line_of(text, f"{{id: s{MAX_ERRORS_PER_FILE},")
    assert f"{path}:{first_omitted}:7: ... and {omitted} more errors in this file" in lines[-1]


def test_other_files_are_still_checked_and_the_reports_stay_bounded(tmp_path: Path) -> None:
    big = tmp_path / "dangling.yaml"
    big.write_text(
        manifest(
            ["id: d, classifications: [internal]"],
            [f"id: s{i}, type: training, location: here, inputs: [x{i}]" for i in range(MANY)],
        )
    )
    good = tmp_path / "good.yaml"
    good.write_text(PHI_ABROAD)
    out = tmp_path / "report.json"
    result = run_cli("check", "-f", "json", "-o", str(out), str(big), str(good))
    assert result.code == 2  # the input error wins over the failing finding
    report = json.loads(out.read_text())
    errors = {i["path"]: i["errors"] for i in report["inputs"]}
    assert len(errors[str(big)]) == MAX_ERRORS_PER_FILE + 1
    assert f"and {MANY - MAX_ERRORS_PER_FILE} more errors" in errors[str(big)][-1]
    assert errors[str(good)] == []
    assert {f["rule_id"] for f in report["findings"] if f["status"] == "fail"} >= {"HIPAA-RES-001"}
    # The shown ones still suggest what was meant; the cap bounds that work too.
    assert "(declared datasets: d)" in errors[str(big)][0]

    sarif = tmp_path / "report.sarif"
    run_cli("check", "-f", "sarif", "-o", str(sarif), str(big), str(good))
    assert len(sarif.read_text()) < 200_000


def test_schema_errors_are_capped(tmp_path: Path) -> None:
    path = tmp_path / "schema.yaml"
    path.write_text(
        manifest(
            ["id: d, classifications: [internal]"],
            [f"id: s{i}, type: bogus, location: here" for i in range(MANY)],
        )
    )
    result = run_cli("validate", str(path))
    assert result.code == 2
    lines = error_lines(result.out + result.err, str(path))
    assert len(lines) == MAX_ERRORS_PER_FILE + 1
    assert "'bogus' is not one of" in lines[0]


def test_a_multi_document_file_is_capped_as_a_whole(tmp_path: Path) -> None:
    # 80 manifests with one error each: the cap counts the file, not each document.
    doc = CLEAN.replace("country: US", "country: us", 1)
    path = tmp_path / "many.yaml"
    path.write_text("---\n".join(doc.replace("phi-home", f"m{i}") for i in range(80)))
    result = run_cli("validate", str(path))
    assert result.code == 2
    lines = error_lines(result.out + result.err, str(path))
    assert len(lines) == MAX_ERRORS_PER_FILE + 1
    assert "and 30 more errors in this file" in lines[-1]


def test_waivers_file_errors_are_capped(tmp_path: Path) -> None:
    entry = "  - {{rule: NOPE-{i}, reason: r, approved_by: a@example.com, expires: '2026-12-01'}}\n"
    waivers = tmp_path / "w.yaml"
    waivers.write_text("waivers:\n" + "".join(entry.format(i=i) for i in range(MANY)))
    good = tmp_path / "good.yaml"
    good.write_text(CLEAN)
    result = run_cli("check", "--as-of", "2026-06-01", "--waivers", str(waivers), str(good))
    assert result.code == 2
    lines = error_lines(result.out + result.err, str(waivers))
    assert len(lines) == MAX_ERRORS_PER_FILE + 1
    assert f"and {MANY - MAX_ERRORS_PER_FILE} more errors" in lines[-1]


def test_the_cap_is_one_constant(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cap, "MAX_ERRORS_PER_FILE", 3)
    monkeypatch.setattr(cap.cap_errors, "__defaults__", (3,))
    path = tmp_path / "cycles.yaml"
    path.write_text(self_cycles(10))
    lines = error_lines(run_cli("validate", str(path)).out, str(path))
    assert len(lines) == 4
    assert "and 7 more errors" in lines[-1]


def test_suggestions_are_only_computed_for_the_errors_that_are_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Stands in for a time bound (tests are not timed): difflib over 1,000 declared ids for
    # each of 1,000 dangling ones took 9 s; for the shown 50 it takes a fraction of that.
    calls: list[str] = []
    real = integrity.did_you_mean

    def counting(word: str, candidates: object) -> str | None:
        calls.append(word)
        return real(word, candidates)  # type: ignore[arg-type]

    monkeypatch.setattr(integrity, "did_you_mean", counting)
    path = tmp_path / "hints.yaml"
    path.write_text(
        manifest(
            [f"id: dataset-{i}, classifications: [internal]" for i in range(1000)],
            [
                f"id: s{i}, type: training, location: here, inputs: [datasat-{i}]"
                for i in range(1000)
            ],
        )
    )
    lines = error_lines(run_cli("validate", str(path)).out, str(path))
    assert len(calls) == MAX_ERRORS_PER_FILE
    assert "unknown dataset 'datasat-0' (did you mean 'dataset-0'?)" in lines[0]


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1024**3, 1024**3))


def test_thousands_of_writers_and_readers_of_one_dataset_fit_in_bounded_memory(
    tmp_path: Path,
) -> None:
    # 6,000 writers x 6,000 readers made 36 million stage-to-stage edges: a MemoryError
    # (exit 3) under 1 GiB. Datasets as graph nodes keep it to one edge per input/output.
    n = 6000
    path = tmp_path / "fan.yaml"
    path.write_text(
        manifest(
            ["id: d, classifications: [internal]"],
            [f"id: w{i}, type: training, location: here, outputs: [d]" for i in range(n)]
            + [f"id: r{i}, type: training, location: here, inputs: [d]" for i in range(n)],
        )
    )
    result = subprocess.run(
        [sys.executable, "-m", "checker", "validate", str(path)],
        capture_output=True, text=True, timeout=300, cwd=ROOT, preexec_fn=_limit_memory,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    lines = error_lines(result.stdout + result.stderr, str(path))
    assert len(lines) == MAX_ERRORS_PER_FILE + 1
    assert "is already written by stage 'w0'" in lines[0]
