"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run; one reportingDescriptor per rule of the catalogue; one result per failing or
waived finding (passes are not results: code scanning would show them as alerts).
`security-severity` is what GitHub sorts and gates alerts on: error 8.0 (high), warning
5.0 (medium), advisory 2.0 (low).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from checker.model import Finding, Problem, Report, RuleMeta, Severity
from checker.report.common import SARIF_LEVEL, fingerprint, subject_text, waiver_note
from checker.report.interface import Renderer, RenderOptions
from checker.report.json_stream import LazyArray, json_chunks

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://tdcheck.dev/"  # the project's namespace (schemas use it too)
SECURITY_SEVERITY = {Severity.ERROR: "8.0", Severity.WARNING: "5.0", Severity.ADVISORY: "2.0"}
PROBLEM_SEVERITY = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.ADVISORY: "recommendation",
}
FINGERPRINT_KEY = "tdcheckSubject/v1"
SHOWN = ("fail", "waived")  # passes are not results: code scanning would show them as alerts


def artifact_uri(path: str) -> dict[str, str]:
    """The manifest path as given, as a URI reference: relative to the checkout for GitHub."""
    if path.startswith("/"):
        return {"uri": "file://" + quote(path)}
    return {"uri": quote(path.replace("\\", "/")), "uriBaseId": "%SRCROOT%"}


def _location(path: str, line: int, column: int) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": artifact_uri(path)}
    if line > 0:
        physical["region"] = {"startLine": line, "startColumn": max(column, 1)}
    return {"physicalLocation": physical}


def _identifier(title: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in re.findall(r"[A-Za-z0-9]+", title))


def _descriptor(meta: RuleMeta) -> dict[str, Any]:
    text = f"Citation: {meta.citation}\nRemediation: {meta.remediation}"
    markdown = f"**Citation:** {meta.citation}\n\n**Remediation:** {meta.remediation}"
    return {
        "id": meta.rule_id,
        "name": _identifier(meta.title) or meta.rule_id,
        "shortDescription": {"text": meta.title},
        "fullDescription": {"text": meta.description or meta.title},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": SARIF_LEVEL[meta.severity]},
        "properties": {
            "tags": [meta.framework, "compliance", meta.subject],
            "security-severity": SECURITY_SEVERITY[meta.severity],
            "problem.severity": PROBLEM_SEVERITY[meta.severity],
            "precision": "very-high",
        },
    }


def _catalogue(report: Report) -> list[RuleMeta]:
    """The rule catalogue, plus a descriptor for any finding whose rule it lacks (a finding
    the checker itself raises, such as WAIVER-EXPIRED), so every ruleIndex resolves: from
    the first such finding in report order, which the run's tally keeps."""
    rules = sorted(report.rules, key=lambda m: m.rule_id)
    known = {m.rule_id for m in rules}
    for f in report.stats().unlisted:
        if f.rule_id not in known:
            known.add(f.rule_id)
            rules.append(
                RuleMeta(
                    rule_id=f.rule_id,
                    title=f.title,
                    description=f.title,
                    framework=f.framework,
                    severity=f.severity,
                    subject=f.subject,
                    citation=f.citation,
                    remediation=f.remediation,
                    package="",
                    source="",
                )
            )
    return rules


def _result(finding: Finding, index: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": index,
        "kind": "fail",
        "level": SARIF_LEVEL[finding.severity],
        "message": {"text": f"{finding.message} ({subject_text(finding)})"},
        "locations": [_location(finding.manifest, finding.line, finding.column)],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(finding)},
        "properties": {
            "deployment": finding.deployment,
            "framework": finding.framework,
            "subject": finding.subject,
            "status": finding.status,
            "basis": finding.basis,
            "citation": finding.citation,
        },
    }
    if finding.waiver is not None:
        waiver = finding.waiver
        result["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": waiver_note(waiver),
                "properties": {"approved_by": waiver.approved_by, "expires": waiver.expires},
            }
        ]
    return result


def _notification(problem: Problem) -> dict[str, Any]:
    return {
        "level": "error",
        "message": {"text": problem.message},
        "locations": [_location(problem.source, problem.line, problem.column)],
        "descriptor": {"id": f"tdcheck/{problem.kind}-error"},
    }


def sarif_log(report: Report) -> dict[str, Any]:
    rules = _catalogue(report)
    index = {meta.rule_id: i for i, meta in enumerate(rules)}
    statuses = report.counts()["by_status"]
    results = LazyArray(
        lambda: (_result(f, index[f.rule_id]) for f in report.findings if f.status in SHOWN),
        empty=not (statuses["fail"] or statuses["waived"]),
    )
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "tdcheck",
                        "version": report.tool_version,
                        "semanticVersion": report.tool_version,
                        "informationUri": INFORMATION_URI,
                        "rules": [_descriptor(meta) for meta in rules],
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not any(
                            p.kind == "evaluation" for p in report.problems
                        ),
                        "exitCode": report.exit_code(),
                        "toolExecutionNotifications": [_notification(p) for p in report.problems],
                    }
                ],
                "artifacts": [
                    {"location": artifact_uri(item.path), "hashes": {"sha-256": item.sha256}}
                    for item in report.inputs
                    if item.sha256
                ],
                "columnKind": "unicodeCodePoints",
                "results": results,
                "properties": {
                    "policyDigest": report.policy_digest,
                    "asOf": report.as_of,
                    "failOn": report.fail_on,
                    "engine": {"name": report.engine.name, "version": report.engine.version},
                },
            }
        ],
    }


class SarifRenderer(Renderer):
    name = "sarif"

    def chunks(self, report: Report, options: RenderOptions) -> Iterator[str]:
        return json_chunks(sarif_log(report))
