"""`--format junit`: JUnit XML for CI test tabs (GitLab, Jenkins, Azure DevOps...).

One testsuite per input file, one testcase per finding (pass, failure, or skipped when
waived); an input or evaluation problem is an errored testcase, so a manifest that was not
checked can never look green. Problems outside any input (the waivers file, a policy
directory) go into a suite named "tdcheck".

Written suite by suite: each suite is built, indented and serialised on its own, exactly as
the same subtree of one whole document would be (ElementTree's indent and tostring), so
only one input file's test cases exist at a time.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator

from checker.model import Finding, Problem, Report
from checker.report.common import subject_key, subject_text, waiver_note
from checker.report.interface import Renderer, RenderOptions
from checker.textsafe import inline

# XML 1.0 cannot carry most control characters, even escaped; manifest values can hold them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(tree: ET.Element) -> None:
    """Control characters from the data as visible escapes (a line break in an id must not
    start a line of the file: a CI log showing it would run `::error` as a command)."""
    for element in tree.iter():
        if element.text:
            element.text = "\n".join(_safe(line) for line in element.text.split("\n"))
        for key, value in element.attrib.items():
            element.set(key, _safe(value))


def _safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", inline(text))


def _testcase(finding: Finding) -> ET.Element:
    case = ET.Element(
        "testcase",
        {
            "classname": f"{finding.deployment}.{subject_key(finding)}",
            "name": f"{finding.rule_id} {subject_text(finding)}",
            "file": finding.manifest,
            "line": str(finding.line),
        },
    )
    # What the deciding manifest fact rests on (verified, contradicted, asserted).
    properties = ET.SubElement(case, "properties")
    ET.SubElement(properties, "property", {"name": "basis", "value": finding.basis})
    where = f"{finding.manifest}:{finding.line}:{finding.column}"
    if finding.status == "fail":
        failure = ET.SubElement(
            case, "failure", {"message": finding.message, "type": finding.severity.value}
        )
        lines = (
            f"{finding.rule_id} [{finding.severity.value}] {finding.title}",
            finding.message,
            f"at {where}",
            f"citation: {finding.citation}",
            f"remediation: {finding.remediation}",
        )
        failure.text = "".join(f"{inline(line)}\n" for line in lines)
    elif finding.status == "waived":
        note = waiver_note(finding.waiver) if finding.waiver else "waived"
        ET.SubElement(case, "skipped", {"message": f"waived: {note}"})
    return case


def _error_case(problem: Problem) -> ET.Element:
    where = f"{problem.source}:{problem.line}:{problem.column}" if problem.line else problem.source
    case = ET.Element(
        "testcase",
        {"classname": f"tdcheck.{problem.kind}", "name": where, "file": problem.source},
    )
    error = ET.SubElement(case, "error", {"message": problem.message, "type": problem.kind})
    error.text = problem.one_line() + "\n"
    return case


def _suite(name: str, cases: list[ET.Element]) -> ET.Element:
    tags = Counter(child.tag for case in cases for child in case)
    suite = ET.Element(
        "testsuite",
        {
            "name": name,
            "tests": str(len(cases)),
            "failures": str(tags["failure"]),
            "errors": str(tags["error"]),
            "skipped": str(tags["skipped"]),
        },
    )
    suite.extend(cases)
    return suite


def _suite_problems(report: Report) -> dict[str, list[Problem]]:
    """Every suite's name, in document order, with its problems: one suite per input, then
    "tdcheck" for problems outside any input, then manifests that have findings only."""
    suites: dict[str, list[Problem]] = {item.path: [] for item in report.inputs}
    for problem in report.problems:
        name = problem.source if problem.source in suites else "tdcheck"
        suites.setdefault(name, []).append(problem)
    for manifest in report.finding_manifests():
        suites.setdefault(manifest, [])
    return suites


def _root(report: Report) -> ET.Element:
    counts = report.counts()["by_status"]
    problems = len(report.problems)
    totals = {
        "tests": problems + len(report.findings),
        "failures": counts["fail"],
        "errors": problems,
        "skipped": counts["waived"],
    }
    return ET.Element("testsuites", {"name": "tdcheck", **{k: str(v) for k, v in totals.items()}})


def _suite_xml(name: str, problems: list[Problem], findings: Iterator[Finding], last: bool) -> str:
    cases = [_error_case(p) for p in problems] + [_testcase(f) for f in findings]
    suite = _suite(name, cases)
    holder = ET.Element("testsuites")  # indented as a child of the root, like in one document
    holder.append(suite)
    _clean(holder)
    ET.indent(holder)
    # Its tail is the indentation before the next suite; after the last, before the end tag.
    suite.tail = "\n" if last else "\n  "
    return ET.tostring(suite, "unicode")


class JunitRenderer(Renderer):
    name = "junit"

    def chunks(self, report: Report, options: RenderOptions) -> Iterator[str]:
        yield '<?xml version="1.0" encoding="UTF-8"?>\n'
        root = _root(report)
        suites = _suite_problems(report)
        if not suites:
            yield ET.tostring(root, "unicode") + "\n"
            return
        root.text = "\n  "
        whole = ET.tostring(root, "unicode")
        yield whole[: whole.rindex("</testsuites>")]
        for n, (name, problems) in enumerate(suites.items(), start=1):
            yield _suite_xml(name, problems, report.findings_in(name), n == len(suites))
        yield "</testsuites>\n"
