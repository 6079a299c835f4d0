"""Acceptance tests written from the public contracts alone (rules-v1, manifest-v1, cli-v1).

Each manifest in `cases/` was authored against the contract text, not against the
policies or fixtures, and its expected findings (expectations.py) were derived by hand from the rule
tables. Both engines run once over the whole directory (the OPA engine starts a server per
CLI call); every case is then judged from the JSON report. A disagreement with the
implementation is an `xfail(strict=True)` naming the contract text, never a weaker test.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.acceptance.expectations import (
    CASES,
    CATALOGUE,
    DISAGREEMENTS,
    ORG_SEVERITY_FOR_PHI_PII,
    Key,
    M,
    S,
)
from tests.conftest import CliResult, require_tool, run_cli

HERE = Path(__file__).resolve().parent
CASES_DIR = HERE / "cases"
CLI_DIR = HERE / "cli_cases"
AS_OF = "2026-06-01"  # before the FIPS 140-2 sunset (2026-09-21): CUI-003 passes by default
ENGINES = ("embedded", "opa")

# ---------------------------------------------------------------------------- running


def _clean_env(mp: pytest.MonkeyPatch, cwd: Path) -> None:
    """No TDCHECK_* settings or waivers file of the developer's leak into the run."""
    for name in list(os.environ):
        if name.startswith("TDCHECK_") and name != "TDCHECK_REQUIRE_TOOLS":
            mp.delenv(name)
    mp.chdir(cwd)


def check(engine: str, *args: str, cwd: Path) -> CliResult:
    with pytest.MonkeyPatch.context() as mp:
        _clean_env(mp, cwd)
        if engine == "opa":
            opa = require_tool("opa")
            mp.setenv("PATH", f"{Path(opa).parent}{os.pathsep}{os.environ['PATH']}")
        return run_cli("check", "--engine", engine, "-f", "json", *args)


@dataclass(frozen=True, slots=True)
class Run:
    result: CliResult
    report: dict[str, Any]

    def findings(self, filename: str) -> list[dict[str, Any]]:
        return [f for f in self.report["findings"] if Path(f["manifest"]).name == filename]


def _run(engine: str, *args: str, cwd: Path) -> Run:
    result = check(engine, *args, cwd=cwd)
    assert result.out, result.err
    return Run(result, json.loads(result.out))


@pytest.fixture(scope="module")
def suite_run(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Run]:
    """One CLI call per engine over the whole cases directory, made on first use."""
    cwd = tmp_path_factory.mktemp("acceptance-cwd")
    runs: dict[str, Run] = {}

    def get(engine: str) -> Run:
        if engine not in runs:
            runs[engine] = _run(engine, "--as-of", AS_OF, str(CASES_DIR), cwd=cwd)
        return runs[engine]

    return get


def key_of(finding: dict[str, Any]) -> Key:
    transfer = finding["transfer"]
    movement = (transfer["from"], transfer["to"]) if transfer else None
    return (finding["rule_id"], finding["stage"], finding["location"], movement)


def keys(findings: list[dict[str, Any]], status: str) -> set[Key]:
    return {key_of(f) for f in findings if f["status"] == status}


def _params(aspect: str) -> list[Any]:
    params = []
    for engine in ENGINES:
        for name in sorted(CASES):
            reason = DISAGREEMENTS.get((name, aspect)) or DISAGREEMENTS.get(
                (f"{engine}:{name}", aspect)
            )
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            params.append(pytest.param(engine, name, marks=marks, id=f"{engine}-{name}"))
    return params


# ---------------------------------------------------------------------------- per case


def test_every_case_file_has_an_expectation() -> None:
    assert {p.name for p in CASES_DIR.glob("*.yaml")} == set(CASES)
    assert len(CASES) >= 25


@pytest.mark.parametrize("engine", ENGINES)
def test_whole_directory_run(suite_run: Any, engine: str) -> None:
    run = suite_run(engine)
    summary = run.report["summary"]
    assert run.result.code == max(c.exit_code for c in CASES.values())
    assert (summary["manifests"], summary["valid"], summary["invalid"]) == (len(CASES),) * 2 + (0,)
    assert all(not item["errors"] for item in run.report["inputs"])
    assert run.report["as_of"] == AS_OF
    assert set(summary["frameworks_in_scope"]) == {f for f, _, _ in CATALOGUE.values()}


@pytest.mark.parametrize(("engine", "name"), _params("failing"))
def test_failing_findings_are_exactly_the_expected_set(
    suite_run: Any, engine: str, name: str
) -> None:
    findings = suite_run(engine).findings(name)
    assert findings, f"no findings at all for {name}"
    expected = CASES[name].failing
    actual = keys(findings, "fail")
    assert actual == expected, {"unexpected": actual - expected, "missing": expected - actual}


@pytest.mark.parametrize(("engine", "name"), _params("passing"))
def test_rules_that_apply_and_hold_pass(suite_run: Any, engine: str, name: str) -> None:
    missing = CASES[name].passing - keys(suite_run(engine).findings(name), "pass")
    assert not missing


@pytest.mark.parametrize(("engine", "name"), _params("not_applicable"))
def test_rules_that_do_not_apply_give_no_finding(suite_run: Any, engine: str, name: str) -> None:
    findings = suite_run(engine).findings(name)
    for what, location in CASES[name].not_applicable:
        field_name = "framework" if what.islower() else "rule_id"
        hits = [
            key_of(f)
            for f in findings
            if f[field_name] == what and (location is None or f["location"] == location)
        ]
        assert not hits, f"{what} should not apply at {location or 'any location'}"


@pytest.mark.parametrize(("engine", "name"), _params("messages"))
def test_messages_name_the_deciding_values(suite_run: Any, engine: str, name: str) -> None:
    by_key = {key_of(f): f["message"] for f in suite_run(engine).findings(name)}
    for key, needles in CASES[name].messages.items():
        assert key in by_key, f"no finding {key}"
        for needle in needles:
            assert needle in by_key[key], f"{key}: {needle!r} not in {by_key[key]!r}"


@pytest.mark.parametrize(("engine", "name"), _params("lines"))
def test_findings_point_at_the_line_that_decides_them(
    suite_run: Any, engine: str, name: str
) -> None:
    text = (CASES_DIR / name).read_text(encoding="utf-8").splitlines()
    by_key = {key_of(f): f["line"] for f in suite_run(engine).findings(name)}
    for key, needle in CASES[name].lines.items():
        [expected] = [n for n, line in enumerate(text, 1) if needle in line]
        assert by_key.get(key) == expected, f"{key} should point at line {expected} ({needle})"


@pytest.mark.parametrize("engine", ENGINES)
def test_findings_carry_the_catalogue_framework_severity_and_subject(
    suite_run: Any, engine: str
) -> None:
    wrong = []
    for f in suite_run(engine).report["findings"]:
        expected = CATALOGUE.get(f["rule_id"])
        actual = (f["framework"], f["severity"], f["subject"])
        if f["rule_id"] in ORG_SEVERITY_FOR_PHI_PII and expected and f["severity"] == "warning":
            expected = (expected[0], "warning", expected[2])
        if expected != actual:
            wrong.append((f["rule_id"], actual, expected))
        if not (isinstance(f["line"], int) and f["line"] >= 1 and f["citation"]):
            wrong.append((f["rule_id"], "line/citation", f["line"], f["citation"]))
    assert not wrong, sorted(set(map(str, wrong)))


@pytest.mark.parametrize(("engine", "name"), _params("exit"))
def test_exit_code_follows_the_error_failures(suite_run: Any, engine: str, name: str) -> None:
    """Exit 1 exactly when an `error` finding fails (default --fail-on error); see also below."""
    errors = [
        key_of(f)
        for f in suite_run(engine).findings(name)
        if f["status"] == "fail" and f["severity"] == "error"
    ]
    assert (1 if errors else 0) == CASES[name].exit_code, errors


@pytest.mark.parametrize("engine", ENGINES)
def test_manifests_with_only_warnings_and_advice_exit_0(engine: str, tmp_path: Path) -> None:
    """One CLI call over every case expected to exit 0 (warnings and advisories do not fail)."""
    paths = [str(CASES_DIR / n) for n, c in sorted(CASES.items()) if c.exit_code == 0]
    result = check(engine, "--as-of", AS_OF, *paths, cwd=tmp_path)
    assert result.code == 0, result.err


@pytest.mark.parametrize("engine", ENGINES)
def test_undeclared_movements_fail_the_rules_that_name_them(suite_run: Any, engine: str) -> None:
    """The movement rules whose own row covers the no-transfer case (a subset of the case)."""
    failing = keys(suite_run(engine).findings("implied-movements-regulated.yaml"), "fail")
    assert {
        M("HIPAA-ENC-002", "hospital", "clinic"),  # "(or no transfer covers it)"
        M("ITAR-XFER-001", "plant", "de-vault"),
        M("HYB-DECL-001", "hospital", "clinic"),
        M("HYB-DECL-001", "plant", "de-vault"),
        M("HYB-DECL-001", "gov-a", "gov-b"),
    } <= failing


# ---------------------------------------------------------------------------- CLI contract


@pytest.mark.parametrize("engine", ENGINES)
def test_invalid_manifest_exits_2_with_file_line_col_and_valid_one_still_reported(
    engine: str, tmp_path: Path
) -> None:
    run = _run(engine, "--as-of", AS_OF, str(CLI_DIR / "mixed-run"), cwd=tmp_path)
    assert run.result.code == 2  # an invalid input outranks the failing findings (1)
    assert re.search(r"broken\.yaml:22:\d+: \S", run.result.err), run.result.err
    assert "Traceback" not in run.result.err
    deployments = {f["deployment"] for f in run.report["findings"]}
    assert deployments == {"acc-cli-failing"}
    assert S("HIPAA-AUD-001", "ingest", "dc") in keys(run.findings("failing.yaml"), "fail")
    assert run.report["summary"]["invalid"] == 1


def test_the_valid_manifest_alone_exits_1(tmp_path: Path) -> None:
    result = check("embedded", str(CLI_DIR / "mixed-run" / "failing.yaml"), cwd=tmp_path)
    assert result.code == 1


def test_fail_on_never_exits_0_and_still_reports_failures(tmp_path: Path) -> None:
    path = str(CASES_DIR / "hipaa-location-defaults.yaml")
    run = _run("embedded", "--fail-on", "never", path, cwd=tmp_path)
    assert run.result.code == 0
    assert keys(run.report["findings"], "fail") == CASES["hipaa-location-defaults.yaml"].failing


@pytest.mark.parametrize(
    ("name", "fail_on", "code"),
    [
        ("ear-licence-determination.yaml", "warning", 1),
        ("ear-licence-determination.yaml", "advisory", 1),
        ("advisory-onprem-scale.yaml", "warning", 0),
        ("advisory-onprem-scale.yaml", "advisory", 1),
    ],
)
def test_fail_on_sets_the_lowest_failing_severity(
    name: str, fail_on: str, code: int, tmp_path: Path
) -> None:
    result = check("embedded", "--fail-on", fail_on, str(CASES_DIR / name), cwd=tmp_path)
    assert result.code == code


CUI_FIPS2 = S("CUI-003", "eval-fips2", "dc-fips2")


@pytest.mark.parametrize("engine", ENGINES)
def test_as_of_on_the_fips_140_2_sunset_fails_cui_003(engine: str, tmp_path: Path) -> None:
    path = str(CASES_DIR / "cui-cloud-and-fips.yaml")
    run = _run(engine, "--as-of", "2026-09-21", path, cwd=tmp_path)
    failing = keys(run.report["findings"], "fail")
    assert failing == CASES["cui-cloud-and-fips.yaml"].failing | {CUI_FIPS2}
    [finding] = [f for f in run.report["findings"] if key_of(f) == CUI_FIPS2]
    assert finding["severity"] == "warning"
    assert "140-2" in finding["message"]
    assert run.report["as_of"] == "2026-09-21"


def test_as_of_the_day_before_the_sunset_passes_cui_003(tmp_path: Path) -> None:
    path = str(CASES_DIR / "cui-cloud-and-fips.yaml")
    run = _run("embedded", "--as-of", "2026-09-20", path, cwd=tmp_path)
    assert CUI_FIPS2 in keys(run.report["findings"], "pass")


def test_directory_walk_skips_non_manifests_and_other_kinds(tmp_path: Path) -> None:
    run = _run("embedded", str(CLI_DIR / "walk"), cwd=tmp_path)
    assert run.result.code == 0, run.result.err
    deployments = [d for item in run.report["inputs"] for d in item["deployments"]]
    assert deployments == ["acc-cli-walk-pipeline"]
    assert run.report["summary"]["invalid"] == 0


def test_a_named_file_without_a_manifest_is_an_input_error(tmp_path: Path) -> None:
    result = check("embedded", str(CLI_DIR / "walk" / "not-a-manifest.yaml"), cwd=tmp_path)
    assert result.code == 2
    assert "not-a-manifest.yaml" in result.err
    assert "Traceback" not in result.err


# ---------------------------------------------------------------------------- v1.1 amendments


@pytest.mark.parametrize("engine", ENGINES)
def test_integrity_v11_itar_with_ear_and_collected_directly_on_written_data_exit_2(
    engine: str, tmp_path: Path
) -> None:
    run = _run(engine, "--as-of", AS_OF, str(CLI_DIR / "v11-integrity"), cwd=tmp_path)
    assert run.result.code == 2
    err = run.result.err
    assert re.search(r"itar-and-ear\.yaml:11:\d+: .*both itar and EAR control", err), err
    assert re.search(r"collected-written\.yaml:11:\d+: .*collected_directly", err), err
    assert "Traceback" not in err
    assert run.report["summary"]["invalid"] == 2


CYPRUS = {
    "v11-itar-carve-out-classified-cyprus.yaml": S("ITAR-LOC-002", "store-cy", "cy-vault"),
    "v11-ear-d5-russia-deemed-export.yaml": S("EAR-LOC-002", "store-cy", "cy-store"),
}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        ("2025-09-30", "fail"),
        ("2025-10-01", "pass"),
        ("2026-09-30", "pass"),
        ("2026-10-01", "fail"),
    ],
)
def test_cyprus_is_listed_outside_its_dated_126_1_r_suspension(
    engine: str, as_of: str, status: str, tmp_path: Path
) -> None:
    paths = [str(CASES_DIR / name) for name in CYPRUS]
    run = _run(engine, "--as-of", as_of, *paths, cwd=tmp_path)
    for name, key in CYPRUS.items():
        assert key in keys(run.findings(name), status), (name, as_of)


def test_corrected_and_new_citations_reach_the_report(suite_run: Any) -> None:
    citations = {f["rule_id"]: f["citation"] for f in suite_run("embedded").report["findings"]}
    assert citations["HIPAA-ENC-002"] == "45 CFR 164.312(e)(1), (e)(2)(ii)"
    assert "Recital 111" in citations["GDPR-XFER-002"]
    assert "EDPB Guidelines 2/2018" in citations["GDPR-XFER-002"]
    assert "Clause 14" in citations["GDPR-TIA-001"]
    assert "3.13.8" in citations["CUI-004"]
    assert "734.18(a)(5)(iv)" in citations["EAR-LOC-002"]
    assert "734.13" in citations["EAR-PER-001"]


@pytest.mark.parametrize("engine", ENGINES)
def test_hyb_enc_001_is_an_error_for_cui_and_the_org_severity_for_phi_or_pii_only(
    suite_run: Any, engine: str
) -> None:
    run = suite_run(engine)

    def severity(name: str, key: Key) -> str:
        [finding] = [f for f in run.findings(name) if key_of(f) == key]
        return str(finding["severity"])

    assert (
        severity("v11-cui-transit-fedramp-certified.yaml", M("HYB-ENC-001", "dc", "lab-undeclared"))
        == "error"
    )
    assert (
        severity("hipaa-transfer-unencrypted.yaml", M("HYB-ENC-001", "dc-a", "dc-b")) == "warning"
    )
    assert severity("hybrid-transfer-defaults.yaml", M("HYB-ENC-001", "dc", "cloud")) == "warning"
