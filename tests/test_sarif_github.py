"""SARIF as GitHub code scanning reads it: repository-relative paths without `./` or `../`,
waived findings left out unless asked for, tdcheck's own fingerprint only, and GitHub's
documented limits (25,000 results and rules per run, 20 runs, 1,000 locations per result,
20 tags per rule, 255/1,024 characters of rule text, 10 MB gzip-compressed)."""

from __future__ import annotations

import gzip
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from checker.model import Finding, Severity
from checker.report import RENDERERS, RenderOptions
from checker.report.sarif import SourceRoot, sarif_log
from tests.conftest import ROOT, run_cli
from tests.report_data import FINDINGS, RULES, canonical_report
from tests.test_cli import PHI_ABROAD

SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
GITHUB_MAX_RESULTS = 25_000


def test_uris_are_relative_to_the_repository_root_whatever_the_path_given(
    tmp_path: Path,
) -> None:
    root = SourceRoot(tmp_path, tmp_path / "ci" / "jobs")
    assert root.artifact("../../deploy/./x.yaml") == {
        "uri": "deploy/x.yaml",
        "uriBaseId": "%SRCROOT%",
    }
    top = SourceRoot(tmp_path, tmp_path)
    spaced = top.artifact("./deploy/a b.yaml")
    assert spaced == {"uri": "deploy/a%20b.yaml", "uriBaseId": "%SRCROOT%"}
    assert top.artifact(str(tmp_path / "deploy" / "x.yaml"))["uri"] == "deploy/x.yaml"
    outside = top.artifact("../elsewhere/x.yaml")
    assert outside == {"uri": (tmp_path.parent / "elsewhere" / "x.yaml").as_uri()}
    assert top.artifact("-") == {"uri": "-"}
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "real.yaml").write_text("")
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "link.yaml").symlink_to(tmp_path / "shared" / "real.yaml")
    assert top.artifact("deploy/link.yaml")["uri"] == "shared/real.yaml"  # what code scanning shows
    assert top.base() == {"%SRCROOT%": {"uri": tmp_path.resolve().as_uri() + "/"}}


def test_cli_sarif_from_a_subdirectory_of_a_repository_names_repository_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()  # a repository root, as far as paths are concerned
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "m.yaml").write_text(PHI_ABROAD)
    (tmp_path / "ci").mkdir()
    monkeypatch.chdir(tmp_path / "ci")
    done = run_cli("check", "--engine", "embedded", "-f", "sarif", "../deploy/./m.yaml")
    assert done.code == 1, done.err
    log = json.loads(done.out)
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    (run,) = log["runs"]
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "deploy/m.yaml", "uriBaseId": "%SRCROOT%"}
    assert run["artifacts"][0]["location"] == location
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"


@pytest.mark.parametrize("given", ["./deploy/./m.yaml", "deploy/m.yaml", "ABSOLUTE"])
def test_github_annotations_name_files_from_the_repository_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str
) -> None:
    """GitHub places an annotation on a pull request's file by its repository path: a
    `./deploy/m.yaml` or an absolute path would match no file, and the annotation would
    only be listed in the run's summary."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "m.yaml").write_text(PHI_ABROAD)
    monkeypatch.chdir(tmp_path)
    path = str(tmp_path / "deploy" / "m.yaml") if given == "ABSOLUTE" else given
    done = run_cli("check", "--engine", "embedded", "--no-cache", "-f", "github", path)
    assert done.code == 1, done.err
    annotations = [line for line in done.out.splitlines() if line.startswith("::")]
    assert annotations
    assert all(line.split(" ", 1)[1].startswith("file=deploy/m.yaml,") for line in annotations)
    (tmp_path / "ci").mkdir()
    monkeypatch.chdir(tmp_path / "ci")
    from_ci = run_cli("check", "--engine", "embedded", "--no-cache", "-f", "github", "../deploy")
    assert "file=deploy/m.yaml," in from_ci.out and "file=../" not in from_ci.out


def test_only_tdcheck_fingerprint_is_claimed() -> None:
    results = sarif_log(canonical_report(), RenderOptions(sarif_include_waived=True))["runs"][0][
        "results"
    ]
    assert results
    for result in results:
        assert set(result["partialFingerprints"]) == {"tdcheckSubject/v1"}
        assert "fingerprints" not in result


def test_waived_findings_are_not_results_by_default_from_the_cli(tmp_path: Path) -> None:
    manifest = tmp_path / "m.yaml"
    manifest.write_text(PHI_ABROAD)
    waivers = tmp_path / "w.yaml"
    waivers.write_text(
        "waivers:\n  - rule: HIPAA-RES-001\n    reason: approved exception, ticket SEC-1\n"
        "    approved_by: ciso@example.com\n    expires: 2027-06-30\n"
    )
    args = ("check", "--engine", "embedded", "--as-of", "2026-11-28", "--waivers", str(waivers))
    default = run_cli(*args, "-f", "sarif", str(manifest))
    assert default.code == 0, default.err
    assert json.loads(default.out)["runs"][0]["results"] == []
    kept = run_cli(*args, "-f", "sarif", "--sarif-include-waived", str(manifest))
    (result,) = json.loads(kept.out)["runs"][0]["results"]
    assert result["ruleId"] == "HIPAA-RES-001"
    assert result["suppressions"][0]["status"] == "accepted"


def _many(count: int) -> tuple[Finding, ...]:
    """`count` failing findings cycling through every severity, each its own subject."""
    base = [f for f in FINDINGS if f.status == "fail"]
    return tuple(
        replace(base[n % len(base)], stage=f"s{n}", line=n + 1, location=f"l{n}")
        for n in range(count)
    )


def test_the_cap_keeps_the_most_severe_and_says_how_many_were_left_out() -> None:
    findings = _many(30)
    report = replace(canonical_report(), findings=findings, tally=None)
    log = sarif_log(report, RenderOptions(sarif_max_results=12))
    jsonschema.Draft4Validator(SCHEMA).validate(json.loads(json.dumps(log)))
    (run,) = log["runs"]
    results = list(run["results"])
    assert len(results) == 12
    errors = [f for f in findings if f.severity is Severity.ERROR]
    assert len(errors) == 20
    assert all(r["level"] == "error" for r in results)  # no room left after the errors
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results] == [
        f.line for f in errors[:12]
    ]
    assert run["properties"]["omittedResults"] == 18
    note = run["invocations"][0]["toolExecutionNotifications"][-1]
    assert note["descriptor"]["id"] == "tdcheck/capped"
    assert "18 of 30 results were left out" in note["message"]["text"]
    assert "-f json" in note["message"]["text"]


def test_a_large_run_capped_at_github_limits_fits_every_documented_limit() -> None:
    findings = _many(GITHUB_MAX_RESULTS + 1_500)
    report = replace(canonical_report(), findings=findings, tally=None)
    options = RenderOptions(sarif_max_results=GITHUB_MAX_RESULTS)
    text = RENDERERS["sarif"].render(report, options)
    log: dict[str, Any] = json.loads(text)
    assert len(log["runs"]) <= 20
    (run,) = log["runs"]
    assert len(run["results"]) == GITHUB_MAX_RESULTS
    assert run["properties"]["omittedResults"] == 1_500
    assert len(run["tool"]["driver"]["rules"]) <= GITHUB_MAX_RESULTS
    for rule in run["tool"]["driver"]["rules"]:
        assert len(rule["properties"]["tags"]) <= 20
        assert len(rule["name"]) <= 255
        assert len(rule["shortDescription"]["text"]) <= 1024
        assert len(rule["fullDescription"]["text"]) <= 1024
    assert all(1 <= len(r["locations"]) <= 1000 for r in run["results"])
    assert len(gzip.compress(text.encode("utf-8"))) < 10 * 1024 * 1024


def test_long_rule_texts_are_cut_to_what_code_scanning_displays() -> None:
    long = replace(RULES[0], title="T" * 2000, description="D" * 5000)
    report = replace(canonical_report(), rules=(long, *RULES[1:]))
    log = json.loads(RENDERERS["sarif"].render(report, RenderOptions()))
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    rule = rules[long.rule_id]
    assert len(rule["name"]) == 255 and rule["name"].endswith("…")
    assert len(rule["shortDescription"]["text"]) == 1024
    assert len(rule["fullDescription"]["text"]) == 1024


def test_cli_cap_writes_a_notice_on_stderr(tmp_path: Path) -> None:
    manifest = tmp_path / "m.yaml"
    manifest.write_text(PHI_ABROAD)
    second = tmp_path / "n.yaml"
    second.write_text(PHI_ABROAD.replace("phi-abroad", "phi-abroad-2"))
    done = run_cli(
        "check", "--engine", "embedded", "-f", "sarif", "--sarif-max-results", "1",
        str(manifest), str(second),
    )  # fmt: skip
    assert done.code == 1
    assert len(json.loads(done.out)["runs"][0]["results"]) == 1
    assert "notice: SARIF: 1 of 2 result(s) left out (--sarif-max-results 1)" in done.err
