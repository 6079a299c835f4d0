"""`--format junit`: JUnit XML for CI test tabs (GitLab, Jenkins, Azure DevOps...).

One testsuite per input file, one testcase per finding (pass, failure, or skipped when
waived); an input or evaluation problem is an errored testcase, so a manifest that was not
checked can never look green. Problems outside any input (the waivers file, a policy
directory) go into a suite named "tdcheck".
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter

from checker.model import Finding, Problem, Report
from checker.report.common import subject_key, subject_text, waiver_note
from checker.report.interface import RenderOptions

# XML 1.0 cannot carry most control characters, even escaped; manifest values can hold them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(tree: ET.Element) -> None:
    for element in tree.iter():
        if element.text:
            element.text = _NOT_XML.sub("\ufffd", element.text)
        for key, value in element.attrib.items():
            element.set(key, _NOT_XML.sub("\ufffd", value))


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
    where = f"{finding.manifest}:{finding.line}:{finding.column}"
    if finding.status == "fail":
        failure = ET.SubElement(
            case, "failure", {"message": finding.message, "type": finding.severity.value}
        )
        failure.text = (
            f"{finding.rule_id} [{finding.severity.value}] {finding.title}\n"
            f"{finding.message}\nat {where}\n"
            f"citation: {finding.citation}\nremediation: {finding.remediation}\n"
        )
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


def junit_tree(report: Report) -> ET.Element:
    cases: dict[str, list[ET.Element]] = {item.path: [] for item in report.inputs}
    for problem in report.problems:
        cases.setdefault(problem.source if problem.source in cases else "tdcheck", []).append(
            _error_case(problem)
        )
    for finding in report.findings:
        cases.setdefault(finding.manifest, []).append(_testcase(finding))
    suites = [_suite(name, items) for name, items in cases.items()]
    root = ET.Element("testsuites", {"name": "tdcheck"})
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in suites)))
    root.extend(suites)
    return root


class JunitRenderer:
    name = "junit"

    def render(self, report: Report, options: RenderOptions) -> str:
        tree = junit_tree(report)
        _clean(tree)
        ET.indent(tree)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(tree, "unicode") + "\n"
