"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run; one reportingDescriptor per rule of the catalogue; one result per failing finding
(passes are not results: code scanning would show them as alerts). Waived findings are left
out unless asked for (`--sarif-include-waived`): code scanning does not read `suppressions`,
so a suppressed result would be an open alert there; other viewers honour them.
`security-severity` is what GitHub sorts and gates alerts on: error 8.0 (high), warning
5.0 (medium), advisory 2.0 (low).

Paths are relative to the repository root (`uriBaseId` %SRCROOT%, whose absolute location
`originalUriBaseIds` gives), never `./x` or `../x`: code scanning matches alerts across runs
by path, and `./deploy/x.yaml` is not the repository's `deploy/x.yaml`. Files outside the
repository keep an absolute `file:` URI. The fingerprint under `tdcheckSubject/v1` is
tdcheck's own (rule, deployment, subject); `primaryLocationLineHash`, the one code scanning
tracks alerts by, is computed by the upload action from the file's lines.

`--sarif-max-results N` keeps at most N results (code scanning rejects a run of more than
25,000), the most severe first, and says in a notification how many were left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

from checker.model import Finding, Problem, Report, RuleMeta, Severity
from checker.report.common import SARIF_LEVEL, fingerprint, subject_text, waiver_note
from checker.report.interface import Renderer, RenderOptions
from checker.report.json_stream import LazyArray, json_chunks
from checker.report.repository_paths import RepositoryPaths, not_a_file

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://tdcheck.dev/"  # the project's namespace (schemas use it too)
SECURITY_SEVERITY = {Severity.ERROR: "8.0", Severity.WARNING: "5.0", Severity.ADVISORY: "2.0"}
PROBLEM_SEVERITY = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.ADVISORY: "recommendation",
}
FINGERPRINT_KEY = "tdcheckSubject/v1"  # tdcheck's own partial fingerprint (module docstring)
SRCROOT = "%SRCROOT%"
# Code scanning's documented limits on what it displays of a rule (longer text is cut there).
NAME_MAX, DESCRIPTION_MAX = 255, 1024
# Results kept by --sarif-max-results, most important first: failures by severity, then
# waived findings (when included).
_PRIORITY = (Severity.ERROR, Severity.WARNING, Severity.ADVISORY, "waived")


class SourceRoot(RepositoryPaths):
    """Turns the paths a run was given into URIs relative to the repository root."""

    def base(self) -> dict[str, Any]:
        return {SRCROOT: {"uri": self.root.as_uri().rstrip("/") + "/"}}

    def artifact(self, path: str) -> dict[str, str]:
        if not_a_file(path):
            return {"uri": quote(path)}
        relative = self.relative(path)
        if relative is not None:
            return {"uri": quote(relative), "uriBaseId": SRCROOT}
        return {"uri": self.absolute(path).as_uri()}  # outside the repository: absolute only


def _clamp(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _location(root: SourceRoot, path: str, line: int, column: int) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": root.artifact(path)}
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
        "name": _clamp(_identifier(meta.title) or meta.rule_id, NAME_MAX),
        "shortDescription": {"text": _clamp(meta.title, DESCRIPTION_MAX)},
        "fullDescription": {"text": _clamp(meta.description or meta.title, DESCRIPTION_MAX)},
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


def _result(finding: Finding, index: int, root: SourceRoot) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": index,
        "kind": "fail",
        "level": SARIF_LEVEL[finding.severity],
        "message": {"text": f"{finding.message} ({subject_text(finding)})"},
        "locations": [_location(root, finding.manifest, finding.line, finding.column)],
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


def _notification(problem: Problem, root: SourceRoot) -> dict[str, Any]:
    return {
        "level": "error",
        "message": {"text": problem.message},
        "locations": [_location(root, problem.source, problem.line, problem.column)],
        "descriptor": {"id": f"tdcheck/{problem.kind}-error"},
    }


def _class(finding: Finding) -> Severity | str:
    return "waived" if finding.status == "waived" else finding.severity


def quotas(report: Report, options: RenderOptions) -> tuple[dict[Severity | str, int], int]:
    """How many results of each class the file holds, and how many were left out."""
    tally = report.stats()
    wanted: dict[Severity | str, int] = dict(zip(Severity, tally.failed_by_severity, strict=True))
    wanted["waived"] = report.counts()["by_status"]["waived"] if options.sarif_include_waived else 0
    room = options.sarif_max_results if options.sarif_max_results > 0 else sum(wanted.values())
    kept: dict[Severity | str, int] = {}
    for cls in _PRIORITY:
        kept[cls] = min(wanted[cls], room)
        room -= kept[cls]
    return kept, sum(wanted.values()) - sum(kept.values())


def _selected(report: Report, kept: dict[Severity | str, int]) -> Callable[[], Iterator[Finding]]:
    def items() -> Iterator[Finding]:
        seen = dict.fromkeys(kept, 0)
        for finding in report.findings:
            if finding.status == "pass":
                continue
            cls = _class(finding)
            if seen[cls] < kept[cls]:
                seen[cls] += 1
                yield finding

    return items


def _capped(omitted: int, total: int, limit: int) -> dict[str, Any]:
    text = (
        f"{omitted} of {total} results were left out of this file (--sarif-max-results "
        f"{limit}; the most severe are kept). Every finding is in `tdcheck check -f json` "
        "or in SARIF written without --sarif-max-results."
    )
    return {"level": "warning", "message": {"text": text}, "descriptor": {"id": "tdcheck/capped"}}


def sarif_log(
    report: Report, options: RenderOptions | None = None, root: SourceRoot | None = None
) -> dict[str, Any]:
    options = options or RenderOptions()
    root = root or SourceRoot.here()
    rules = _catalogue(report)
    index = {meta.rule_id: i for i, meta in enumerate(rules)}
    kept, omitted = quotas(report, options)
    selected = _selected(report, kept)
    results = LazyArray(
        lambda: (_result(f, index[f.rule_id], root) for f in selected()),
        empty=not sum(kept.values()),
    )
    notifications = [_notification(p, root) for p in report.problems]
    if omitted:
        total = omitted + sum(kept.values())
        notifications.append(_capped(omitted, total, options.sarif_max_results))
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
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "originalUriBaseIds": root.base(),
                "artifacts": [
                    {"location": root.artifact(item.path), "hashes": {"sha-256": item.sha256}}
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
                    "omittedResults": omitted,
                    "waivedResultsIncluded": options.sarif_include_waived,
                },
            }
        ],
    }


class SarifRenderer(Renderer):
    name = "sarif"

    def chunks(self, report: Report, options: RenderOptions) -> Iterator[str]:
        return json_chunks(sarif_log(report, options))
