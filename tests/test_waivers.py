"""Waivers: loading with located errors, matching, expiry, unused waivers, and the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from checker.model import Finding, Movement, RuleMeta, Severity, Waiver
from checker.waivers import apply_waivers, default_waivers_path, matches
from checker.waivers_file import latest_expiry, load_waivers
from tests.conftest import ROOT, run_cli
from tests.test_cli import PHI_ABROAD

AS_OF = "2026-06-01"
RES_WAIVER = """\
waivers:
  - rule: HIPAA-RES-001
    deployment: phi-*
    stage: train
    location: eu-*
    reason: "EU hosting approved by the privacy office, ticket SEC-1"
    approved_by: ciso@example.com
    expires: {expires}
"""


def meta(rule_id: str, framework: str = "hipaa") -> RuleMeta:
    return RuleMeta(rule_id, "t", "d", framework, Severity.ERROR, "stage", "c", "r", "p", "s")


CATALOGUE = {m.rule_id: m for m in (meta("HIPAA-RES-001"), meta("HYB-ENC-001", "hybrid"))}


def finding(
    rule_id: str = "HIPAA-RES-001",
    status: str = "fail",
    subject: str = "stage",
    stage: str | None = "train",
    location: str | None = "eu-gpu",
    transfer: Movement | None = None,
    deployment: str = "phi-abroad",
) -> Finding:
    return Finding(
        rule_id=rule_id,
        framework=CATALOGUE[rule_id].framework,
        severity=Severity.ERROR,
        status=status,
        subject=subject,
        stage=stage,
        location=location,
        transfer=transfer,
        message="m",
        path=("spec", "locations", 1, "country"),
        title="t",
        citation="c",
        remediation="r",
        manifest="a.yaml",
        deployment=deployment,
        line=17,
        column=16,
    )


def waiver(**globs: str) -> Waiver:
    rule = globs.pop("rule", "HIPAA-RES-001")
    expires = globs.pop("expires", "2026-12-31")
    return Waiver(rule, "reason", "ciso", expires, source="w.yaml", line=2, **globs)


# -- matching ---------------------------------------------------------------------------


def test_globs_match_deployment_stage_and_location() -> None:
    assert matches(waiver(), finding())
    assert matches(waiver(deployment="phi-*", stage="tr*", location="eu-?pu"), finding())
    assert not matches(waiver(deployment="other"), finding())
    assert not matches(waiver(stage="ingest"), finding())
    assert not matches(waiver(location="dc"), finding())
    assert not matches(waiver(rule="HYB-ENC-001"), finding())
    assert not matches(waiver(deployment="PHI-*"), finding())  # ids are case-sensitive


def test_a_stage_glob_never_hides_a_location_or_movement_finding() -> None:
    location_finding = finding(subject="location", stage=None)
    assert matches(waiver(), location_finding)
    assert not matches(waiver(stage="train"), location_finding)
    assert not matches(waiver(stage="t*"), location_finding)


def test_movement_location_glob_matches_either_end() -> None:
    moving = finding(
        rule_id="HYB-ENC-001",
        subject="movement",
        stage=None,
        location=None,
        transfer=Movement("dc", "eu-gpu", ("records",)),
    )
    assert matches(waiver(rule="HYB-ENC-001", location="dc"), moving)
    assert matches(waiver(rule="HYB-ENC-001", location="eu-*"), moving)
    assert not matches(waiver(rule="HYB-ENC-001", location="us-*"), moving)


# -- applying ---------------------------------------------------------------------------


def test_waived_failure_keeps_its_waiver_and_passes_are_untouched() -> None:
    passing = finding(stage="ingest", status="pass")
    applied, unused = apply_waivers([finding(), passing], [waiver()], AS_OF, CATALOGUE)
    assert [f.status for f in applied] == ["waived", "pass"]
    assert applied[0].waiver == waiver()
    assert unused == ()


def test_expired_waiver_stops_applying_and_says_so() -> None:
    lapsed = waiver(expires="2026-05-31")  # the day before AS_OF
    applied, unused = apply_waivers([finding()], [lapsed], AS_OF, CATALOGUE)
    assert [(f.rule_id, f.status) for f in applied] == [
        ("HIPAA-RES-001", "fail"),
        ("WAIVER-EXPIRED", "fail"),
    ]
    expired = applied[1]
    assert expired.severity is Severity.WARNING
    assert expired.framework == "hipaa" and expired.stage == "train"
    assert (expired.manifest, expired.line, expired.column) == ("a.yaml", 17, 16)
    assert "w.yaml:2" in expired.message and "2026-05-31" in expired.message
    assert expired.waiver is None  # not a suppression: SARIF and JUnit must show it
    assert unused == ()
    # On its expiry date a waiver still applies.
    on_the_day = apply_waivers([finding()], [waiver(expires=AS_OF)], AS_OF, CATALOGUE)[0]
    assert on_the_day[0].status == "waived"


def test_a_current_waiver_wins_over_an_expired_one() -> None:
    lapsed, renewed = waiver(expires="2026-01-01"), waiver(expires="2026-12-01")
    applied, unused = apply_waivers([finding()], [lapsed, renewed], AS_OF, CATALOGUE)
    assert [f.status for f in applied] == ["waived"]
    assert applied[0].waiver == renewed
    assert unused == (lapsed,)


def test_unused_only_for_deployments_checked_in_this_run() -> None:
    elsewhere = waiver(deployment="not-in-this-run")
    fixed = waiver(stage="ingest")
    applied, unused = apply_waivers([finding()], [elsewhere, fixed], AS_OF, CATALOGUE)
    assert unused == (fixed,)
    # Outside the --framework selection a waiver is not "unused" either.
    _, unused = apply_waivers([finding()], [fixed], AS_OF, CATALOGUE, frameworks=("hybrid",))
    assert unused == ()


# -- loading ----------------------------------------------------------------------------


def load(tmp_path: Path, text: str, as_of: str = AS_OF) -> tuple[tuple[Waiver, ...], list[str]]:
    path = tmp_path / "w.yaml"
    path.write_text(text)
    waivers, problems = load_waivers(path, "w.yaml", CATALOGUE, as_of)
    return waivers, [p.one_line() for p in problems]


def test_valid_file_loads_with_defaults_and_lines(tmp_path: Path) -> None:
    text = RES_WAIVER.format(expires="2026-12-31") + (
        "  - {rule: HYB-ENC-001, reason: r, approved_by: a, expires: 2026-07-01}\n"
    )
    waivers, problems = load(tmp_path, text)
    assert problems == []
    assert waivers[0].expires == "2026-12-31"  # YAML 1.2 core: a date stays a string
    assert (waivers[0].stage, waivers[0].line) == ("train", 2)
    assert (waivers[1].deployment, waivers[1].stage, waivers[1].location) == ("*", "*", "*")
    assert waivers[1].line == 9


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            "{rule: HIPAA-RES-01, reason: r, approved_by: a, expires: 2026-07-01}",
            "w.yaml:2:12: $.waivers[0].rule: unknown rule 'HIPAA-RES-01' "
            "(did you mean 'HIPAA-RES-001'?)",
        ),
        (
            "{rule: HIPAA-RES-001, reason: r, expires: 2026-07-01}",
            "w.yaml:2:5: $.waivers[0]: missing required field 'approved_by'",
        ),
        (
            "{rule: HIPAA-RES-001, reason: r, approved_by: a, expires: 2027-06-02}",
            "w.yaml:2:63: $.waivers[0].expires: expires 2027-06-02 is more than 1 year after "
            "the as-of date 2026-06-01; expected 2027-06-01 or earlier",
        ),
        (
            "{rule: HIPAA-RES-001, reason: r, approved_by: a, expires: 2026-02-30}",
            "w.yaml:2:63: $.waivers[0].expires: '2026-02-30' is not a calendar date",
        ),
        (
            "{rule: HIPAA-RES-001, reason: r, approved_by: a, expires: 2026-7-01}",
            "w.yaml:2:63: $.waivers[0].expires: '2026-7-01' is not a date written YYYY-MM-DD",
        ),
        (
            "{rule: HIPAA-RES-001, reason: r, approved_by: a, expires: 2026-07-01, stages: x}",
            "w.yaml:2:83: $.waivers[0].stages: unknown field 'stages' (did you mean 'stage'?)",
        ),
        (
            "{rule: HIPAA-RES-001, reason: '  ', approved_by: a, expires: 2026-07-01}",
            "w.yaml:2:35: $.waivers[0].reason: '  ' is not a text with at least one non-space",
        ),
    ],
)
def test_each_mistake_is_one_located_line(tmp_path: Path, entry: str, expected: str) -> None:
    good = "  - {rule: HYB-ENC-001, reason: r, approved_by: a, expires: 2026-07-01}\n"
    waivers, problems = load(tmp_path, f"waivers:\n  - {entry}\n{good}")
    assert len(problems) == 1 and problems[0].startswith(expected), problems
    assert [w.rule for w in waivers] == ["HYB-ENC-001"]  # the good entry still applies


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "w.yaml: the waivers file is empty"),
        ("- rule: X\n", "w.yaml:1:1: $: expected an object, got a list"),
        ("waiver: []\n", "w.yaml:1:1: $: missing required field 'waivers'"),
        ("waivers: [\n", "w.yaml:2:1:"),
    ],
)
def test_malformed_file(tmp_path: Path, text: str, expected: str) -> None:
    waivers, problems = load(tmp_path, text)
    assert waivers == () and problems and problems[0].startswith(expected), problems


def test_expiry_window_is_one_year_even_from_29_february() -> None:
    assert latest_expiry(dt.date(2026, 6, 1)) == dt.date(2027, 6, 1)
    assert latest_expiry(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)


def test_default_file_only_when_present(tmp_path: Path) -> None:
    assert default_waivers_path(None, tmp_path) is None
    (tmp_path / ".tdcheck-waivers.yaml").write_text("waivers: []\n")
    assert default_waivers_path(None, tmp_path) == tmp_path / ".tdcheck-waivers.yaml"
    assert default_waivers_path(Path("x.yaml"), tmp_path) == Path("x.yaml")


# -- the command line -------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with a manifest failing HIPAA-RES-001 at stage train."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TDCHECK_WAIVERS", raising=False)
    (tmp_path / "m.yaml").write_text(PHI_ABROAD)
    return tmp_path


def check(*args: str) -> tuple[int, str, str]:
    result = run_cli("check", "--engine", "embedded", "--as-of", AS_OF, *args, "m.yaml")
    return result.code, result.out, result.err


def test_default_waivers_file_waives_and_exit_is_0(project: Path) -> None:
    assert check()[0] == 1
    (project / ".tdcheck-waivers.yaml").write_text(RES_WAIVER.format(expires="2026-12-31"))
    code, out, _ = check()
    assert code == 0, out
    assert "WAIVED HIPAA-RES-001" in out
    assert "waived by .tdcheck-waivers.yaml:2 until 2026-12-31 (approved by ciso" in out
    assert "1 waived" in out


def test_expired_waiver_stops_hiding_its_finding(project: Path) -> None:
    (project / ".tdcheck-waivers.yaml").write_text(RES_WAIVER.format(expires="2026-12-31"))
    assert check()[0] == 0
    result = run_cli(
        "check", "--engine", "embedded", "--as-of", "2027-01-01", "-f", "json", "m.yaml"
    )
    assert result.code == 1
    report = json.loads(result.out)
    by_rule = {f["rule_id"]: f for f in report["findings"] if f["status"] != "pass"}
    assert by_rule["HIPAA-RES-001"]["status"] == "fail"
    assert by_rule["WAIVER-EXPIRED"]["severity"] == "warning"
    assert by_rule["WAIVER-EXPIRED"]["line"] == by_rule["HIPAA-RES-001"]["line"] == 17
    assert report["summary"]["findings"]["waived"] == 0


def test_json_report_lists_waivers_and_matches_its_schema(project: Path) -> None:
    unused = "  - {rule: HYB-ENC-001, reason: r, approved_by: a, expires: 2026-07-01}\n"
    waivers = project / "ci-waivers.yaml"
    waivers.write_text(RES_WAIVER.format(expires="2026-12-31") + unused)
    code, out, _ = check("-f", "json", "--waivers", str(waivers))
    assert code == 0
    report = json.loads(out)
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(report)
    waived = [f for f in report["findings"] if f["status"] == "waived"]
    assert waived[0]["waiver"]["approved_by"] == "ciso@example.com"
    assert [w["rule"] for w in report["waivers"]] == ["HIPAA-RES-001", "HYB-ENC-001"]
    assert [(w["rule"], w["line"]) for w in report["unused_waivers"]] == [("HYB-ENC-001", 9)]


def test_unused_waiver_is_a_notice_in_text(project: Path) -> None:
    (project / ".tdcheck-waivers.yaml").write_text(
        RES_WAIVER.format(expires="2026-12-31").replace("stage: train", "stage: ingest")
    )
    code, out, _ = check()
    assert code == 1
    assert (
        "notice: waiver HIPAA-RES-001 (.tdcheck-waivers.yaml:2) matches no failing finding" in out
    )


def test_malformed_waivers_exit_2_and_manifests_are_still_reported(project: Path) -> None:
    (project / ".tdcheck-waivers.yaml").write_text(
        RES_WAIVER.format(expires="2026-12-31").replace("HIPAA-RES-001", "HIPAA-RESX-001")
    )
    code, out, _ = check()
    assert code == 2
    assert (
        "error .tdcheck-waivers.yaml:2:11: $.waivers[0].rule: unknown rule 'HIPAA-RESX-001' "
        "(did you mean 'HIPAA-RES-001'?)" in out
    )
    assert "FAIL   HIPAA-RES-001" in out  # evaluated and reported, not waived


def test_waivers_from_the_environment_and_a_missing_file(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "env-waivers.yaml").write_text(RES_WAIVER.format(expires="2026-12-31"))
    monkeypatch.setenv("TDCHECK_WAIVERS", "env-waivers.yaml")
    assert check()[0] == 0
    code, out, _ = check("--waivers", "missing.yaml")
    assert code == 2 and "missing.yaml: no such file or directory" in out


def test_waived_findings_never_count_even_with_fail_on_advisory(project: Path) -> None:
    (project / ".tdcheck-waivers.yaml").write_text(RES_WAIVER.format(expires="2026-12-31"))
    assert check("--fail-on", "advisory")[0] == 0
