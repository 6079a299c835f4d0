"""Every registered renderer on one canonical Report, each output checked by a parser or schema:
JSON and SARIF against their schemas, JUnit with xml.etree, GitHub commands against the
workflow-command grammar, Markdown for its Mermaid block, HTML with html.parser."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import jsonschema
import pytest

from checker.model import Report
from checker.report import RENDERERS, RenderOptions
from checker.report.common import fingerprint
from checker.report.github import command, escape_data, escape_property
from checker.report.sarif import SECURITY_SEVERITY
from tests.conftest import ROOT
from tests.report_data import FINDINGS, MANIFEST, RULES, UNUSED, WAIVER, canonical_report

SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
REPORT_SCHEMA = json.loads((ROOT / "schemas" / "report.schema.json").read_text())
# A workflow command: ::name key=value,key=value::message, properties and message escaped.
GITHUB_LINE = re.compile(
    r"^::(error|warning|notice)"
    r"(?: (?:file|line|col|endLine|endColumn|title)=[^,:\r\n]*"
    r"(?:,(?:file|line|col|endLine|endColumn|title)=[^,:\r\n]*)*)?"
    r"::[^\r\n]*$"
)


def render(name: str, report: Report | None = None) -> str:
    return RENDERERS[name].render(report or canonical_report(), RenderOptions(show_passed=True))


class Tags(HTMLParser):
    """Every start tag with its attributes, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def parse_html(text: str) -> list[tuple[str, dict[str, str]]]:
    parser = Tags()
    parser.feed(text)
    parser.close()
    return parser.tags


def check_text(out: str) -> None:
    assert "FAIL " in out and out.splitlines()[-1].startswith("tdcheck: ")


def check_json(out: str) -> None:
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(json.loads(out))


def check_sarif(out: str) -> None:
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(json.loads(out))


def check_junit(out: str) -> None:
    root = ET.fromstring(out)
    assert root.tag == "testsuites" and int(root.get("tests", "0")) > 0


def check_github(out: str) -> None:
    lines = out.splitlines()
    assert lines and all(GITHUB_LINE.match(line) for line in lines), lines


def check_markdown(out: str) -> None:
    assert "```mermaid\nflowchart LR\n" in out
    assert "### Compliance matrix\n\n| subject |" in out


def check_html(out: str) -> None:
    tags = parse_html(out)
    assert ("table", {"class": "matrix"}) in tags
    assert any(tag == "svg" for tag, _ in tags)
    assert not any(tag == "script" for tag, _ in tags)


VALIDATORS: dict[str, Callable[[str], None]] = {
    "text": check_text,
    "json": check_json,
    "sarif": check_sarif,
    "junit": check_junit,
    "github": check_github,
    "markdown": check_markdown,
    "html": check_html,
}


def test_every_registered_renderer_has_a_validator() -> None:
    assert set(RENDERERS) == set(VALIDATORS), "a new format needs a parser check here"


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_renderer_output_parses_and_validates(name: str) -> None:
    out = render(name)
    VALIDATORS[name](out)
    assert render(name) == out, "rendering must be deterministic"


def sarif_run(report: Report | None = None) -> dict[str, Any]:
    log = json.loads(render("sarif", report))
    assert len(log["runs"]) == 1
    run: dict[str, Any] = log["runs"][0]
    return run


def test_sarif_rules_are_the_catalogue_with_help_and_security_severity() -> None:
    driver = sarif_run()["tool"]["driver"]
    assert driver["name"] == "tdcheck" and driver["version"] == "0.1.0"
    assert driver["informationUri"].startswith("https://")
    rules = {r["id"]: r for r in driver["rules"]}
    assert set(rules) == {m.rule_id for m in RULES}
    for meta in RULES:
        descriptor = rules[meta.rule_id]
        assert descriptor["shortDescription"]["text"] == meta.title
        assert meta.citation in descriptor["help"]["text"]
        assert meta.remediation in descriptor["help"]["markdown"]
        assert descriptor["properties"]["tags"][0] == meta.framework
        assert descriptor["properties"]["security-severity"] == SECURITY_SEVERITY[meta.severity]
    assert rules["HIPAA-BAA-001"]["properties"]["security-severity"] == "8.0"
    assert rules["ADV-COST-001"]["properties"]["security-severity"] == "2.0"


def test_sarif_results_are_failing_findings_at_their_line() -> None:
    run = sarif_run()
    results = run["results"]
    shown = [f for f in FINDINGS if f.status == "fail"]
    assert [r["ruleId"] for r in results] == [f.rule_id for f in shown]
    rules = run["tool"]["driver"]["rules"]
    for result, finding in zip(results, shown, strict=True):
        assert rules[result["ruleIndex"]]["id"] == finding.rule_id
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {
            "uri": "deploy/clinical%20notes%2Cv2.yaml",
            "uriBaseId": "%SRCROOT%",
        }
        assert location["region"] == {"startLine": finding.line, "startColumn": 5}
        assert result["partialFingerprints"] == {"tdcheckSubject/v1": fingerprint(finding)}
        assert "suppressions" not in result
    levels = {r["ruleId"]: r["level"] for r in results}
    assert levels == {"HIPAA-BAA-001": "error", "HYB-ENC-001": "error", "ADV-COST-001": "note"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == ROOT.resolve().as_uri() + "/"
    assert run["properties"]["omittedResults"] == 0


def test_sarif_keeps_waived_results_as_suppressed_only_when_asked() -> None:
    log = RENDERERS["sarif"].render(canonical_report(), RenderOptions(sarif_include_waived=True))
    check_sarif(log)
    results = {r["ruleId"]: r for r in json.loads(log)["runs"][0]["results"]}
    assert "suppressions" not in results["HIPAA-BAA-001"]
    (suppression,) = results["HIPAA-ENC-001"]["suppressions"]
    assert suppression["kind"] == "external" and suppression["status"] == "accepted"
    for part in (WAIVER.reason, WAIVER.approved_by, WAIVER.expires):
        assert part in suppression["justification"]


def test_sarif_invocation_carries_exit_code_and_problems() -> None:
    (invocation,) = sarif_run()["invocations"]
    assert invocation["exitCode"] == 3 and invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    assert [n["descriptor"]["id"] for n in notes] == [
        "tdcheck/input-error",
        "tdcheck/evaluation-error",
    ]
    region = notes[0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 3, "startColumn": 7}


def test_sarif_fingerprint_ignores_line_and_message_but_not_subject() -> None:
    from dataclasses import replace

    base = FINDINGS[0]
    assert fingerprint(replace(base, line=99, message="fixed values")) == fingerprint(base)
    assert fingerprint(replace(base, stage="other")) != fingerprint(base)
    assert fingerprint(replace(base, deployment="other")) != fingerprint(base)
    assert len({fingerprint(f) for f in FINDINGS}) == len(FINDINGS)


def test_junit_one_suite_per_input_one_case_per_finding() -> None:
    root = ET.fromstring(render("junit"))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert list(suites) == [MANIFEST, "deploy/broken.yaml", "deploy/other.yaml"]
    main = suites[MANIFEST]
    cases = main.findall("testcase")
    assert len(cases) == len(FINDINGS)
    assert (main.get("tests"), main.get("failures"), main.get("skipped")) == ("6", "3", "1")
    failure = next(c for c in cases if c.get("name", "").startswith("HIPAA-BAA-001 stage train"))
    assert failure.get("classname") == "clinical-notes.train"
    node = failure.find("failure")
    assert node is not None and node.get("type") == "error"
    assert "third party, no BAA" in node.get("message", "")
    assert "citation of HIPAA-BAA-001" in (node.text or "")
    skipped = next(c for c in cases if c.find("skipped") is not None)
    assert WAIVER.reason in skipped.find("skipped").get("message", "")  # type: ignore[union-attr]
    for name in ("deploy/broken.yaml", "deploy/other.yaml"):
        assert suites[name].get("errors") == "1"
        assert suites[name].find("testcase/error") is not None
    totals = [root.get(k) for k in ("tests", "failures", "errors", "skipped")]
    assert totals == ["8", "3", "2", "1"]


def test_junit_survives_control_characters_in_messages() -> None:
    from dataclasses import replace

    report = canonical_report()
    bad = replace(report.findings[0], message="bell \x07 and nul \x00")
    ET.fromstring(render("junit", replace(report, findings=(bad, *report.findings[1:]))))


def test_github_escapes_data_and_properties_like_the_actions_toolkit() -> None:
    assert escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"
    line = command("error", "x::y", file="d/a,b:c.yaml", line=3, col=0, title="T")
    assert line == "::error file=d/a%2Cb%3Ac.yaml,line=3,title=T::x::y"


def test_github_annotates_failures_and_problems_only() -> None:
    lines = render("github").splitlines()
    assert len(lines) == 2 + 3  # two problems, three failing findings (not waived, not passed)
    assert lines[0].startswith("::error file=deploy/broken.yaml,line=3,col=7,title=")
    baa = next(line for line in lines if "title=HIPAA-BAA-001" in line)
    assert baa.startswith("::error file=deploy/clinical notes%2Cv2.yaml,line=31,col=5,")
    assert "100%25 third party" in baa and "%0D%0Asee: ticket" in baa
    assert any(line.startswith("::notice ") and "ADV-COST-001" in line for line in lines)
    assert not any("HIPAA-ENC-001" in line for line in lines)


def test_markdown_has_matrix_mermaid_with_failing_edge_and_evidence() -> None:
    out = render("markdown")
    assert "| subject | hipaa | hybrid | advisory |" in out
    block = out.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert 'L0 -->|"notes ✗ HYB-ENC-001"| L1' in block
    assert "linkStyle 0 stroke:#b00020" in block
    assert "class S1,L0 fail" in block  # train (failing stage), dc (failing location)
    assert "| train (training) at eu-gpu | ❌ fail 1/1/0 | — | — |" in out
    assert "citation of HIPAA-BAA-001" in out and "how to fix HIPAA-BAA-001" in out
    assert "**hipaa** (4 finding(s)): declared on notes (phi)" in out
    assert "unused: matches no finding" in out and UNUSED.reason in out
    assert "ab" * 32 in out and "cd" * 32 in out and "regopy 1.5.2" in out


def test_html_matrix_diagram_and_no_external_reference() -> None:
    out = render("html")
    tags = parse_html(out)
    cells = [a["data-status"] for t, a in tags if t == "td" and "data-status" in a]
    # rows: ingest (hipaa pass), train (hipaa fail + waived), location dc, movement dc->eu-gpu
    assert cells.count("fail") == 3 and cells.count("pass") == 1
    edges = [a for t, a in tags if t == "g" and a.get("class", "").startswith("edge")]
    assert [(e["class"], e["data-from"], e["data-to"]) for e in edges] == [
        ("edge fail", "dc", "eu-gpu")
    ]
    stages = {a["data-stage"]: a["class"] for t, a in tags if t == "g" and "data-stage" in a}
    assert stages == {"ingest": "stage", "train": "stage fail"}
    assert_self_contained(out)


def assert_self_contained(out: str) -> None:
    tags = parse_html(out)
    assert not any(tag in ("script", "link", "img", "iframe", "object") for tag, _ in tags)
    # Provider catalogue sources appear as text (escaped); nothing may load from the web.
    assert not any("://" in (v or "") for _, attrs in tags for v in attrs.values())
    assert "://" not in "".join(re.findall(r"<style>.*?</style>", out, re.S))
    assert not any("src" in attrs or "href" in attrs for _, attrs in tags)
    assert all(m.startswith("url(#") for m in re.findall(r"url\(.{0,2}", out))
    assert "@media print" in out and "break-before: page" in out


@pytest.fixture(scope="module")
def real_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    from checker.run import RunOptions, execute

    paths = [ROOT / "tests" / "data" / "example-manifest.yaml"]
    paths += sorted((ROOT / "fixtures" / "violations").glob("*.yaml"))[:2]
    return execute(RunOptions(paths=tuple(map(str, paths)), as_of="2026-11-28", engine="embedded"))


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_every_format_from_one_real_run(real_report: Report, name: str) -> None:
    assert real_report.findings and not real_report.problems
    out = render(name, real_report)
    VALIDATORS[name](out)
    if name == "sarif":
        run = json.loads(out)["runs"][0]
        assert {r["id"] for r in run["tool"]["driver"]["rules"]} >= {
            m.rule_id for m in real_report.rules
        }
        assert len(run["results"]) == sum(1 for f in real_report.findings if f.status != "pass")
    if name == "html":
        assert_self_contained(out)


def test_json_is_the_report_dict_as_json_dumps_writes_it(real_report: Report) -> None:
    """The JSON renderer writes findings file by file (so a file's text can be kept by the
    result cache): byte for byte what `json.dumps(..., indent=2)` gives of the whole report."""
    from dataclasses import replace

    from checker.report.json_report import report_dict

    def expected(report: Report) -> str:
        value = report_dict(report)
        value["findings"] = list(value["findings"])
        return json.dumps(value, indent=2) + "\n"

    streamed = (real_report, canonical_report(), replace(canonical_report(), findings=()))
    for report in streamed:
        assert render("json", report) == expected(report)
    assert '"findings": []' in render("json", streamed[-1])
