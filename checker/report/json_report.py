"""`--format json`: the versioned report of cli-v1.md (schemas/report.schema.json)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from checker.model import Finding, Problem, Report, Waiver
from checker.report.interface import Renderer, RenderOptions
from checker.report.json_stream import LazyArray

REPORT_VERSION = 1


def finding_dict(finding: Finding) -> dict[str, Any]:
    transfer = finding.transfer
    return {
        "rule_id": finding.rule_id,
        "framework": finding.framework,
        "severity": finding.severity.value,
        "status": finding.status,
        "subject": finding.subject,
        "stage": finding.stage,
        "location": finding.location,
        "transfer": (
            {"from": transfer.source, "to": transfer.target, "datasets": list(transfer.datasets)}
            if transfer
            else None
        ),
        "message": finding.message,
        "path": list(finding.path),
        "citation": finding.citation,
        "remediation": finding.remediation,
        "title": finding.title,
        "manifest": finding.manifest,
        "deployment": finding.deployment,
        "line": finding.line,
        "column": finding.column,
        "waiver": waiver_dict(finding.waiver) if finding.waiver else None,
        "basis": finding.basis,
    }


def problem_dict(problem: Problem) -> dict[str, Any]:
    return {
        "kind": problem.kind,
        "file": problem.source,
        "line": problem.line,
        "column": problem.column,
        "message": problem.message,
    }


def waiver_dict(waiver: Waiver) -> dict[str, Any]:
    return {
        "rule": waiver.rule,
        "deployment": waiver.deployment,
        "stage": waiver.stage,
        "location": waiver.location,
        "reason": waiver.reason,
        "approved_by": waiver.approved_by,
        "expires": waiver.expires,
        "source": waiver.source,
        "line": waiver.line,
    }


def report_dict(report: Report) -> dict[str, Any]:
    """The report as JSON values; `findings` is produced while it is encoded (json_stream).
    The renderer writes the same document, `findings` file by file (`_findings_array`)."""
    counts = report.counts()
    return {
        "report_version": REPORT_VERSION,
        "tool": {"name": "tdcheck", "version": report.tool_version},
        "engine": {"name": report.engine.name, "version": report.engine.version},
        "policy_digest": report.policy_digest,
        "as_of": report.as_of,
        "fail_on": report.fail_on,
        "exit_code": report.exit_code(),
        "summary": {
            "manifests": report.manifests_valid + report.manifests_invalid,
            "valid": report.manifests_valid,
            "invalid": report.manifests_invalid,
            "findings": counts["by_status"],
            "failed_by_severity": counts["failed_by_severity"],
            "frameworks_in_scope": list(report.frameworks),
        },
        "inputs": [
            {
                "path": item.path,
                "sha256": item.sha256,
                "deployments": list(item.deployments),
                "errors": list(item.errors),
            }
            for item in report.inputs
        ],
        "errors": [problem_dict(p) for p in report.problems],
        "findings": LazyArray(
            lambda: (finding_dict(f) for f in report.findings), empty=not report.findings
        ),
        "waivers": [waiver_dict(w) for w in report.waivers],
        "unused_waivers": [waiver_dict(w) for w in report.unused_waivers],
    }


# What a file's findings array items are, byte for byte, whatever the options: the result
# cache keeps the text of a file under this name (StoredFindings.blocks).
_VIEW = "json/1"


def _indented(text: str, pad: str) -> str:
    # json.dumps escapes a newline inside a string: every raw one starts an indented line.
    return text.replace("\n", "\n" + pad)


def _file_items(findings: Sequence[Finding]) -> str:
    """One file's findings as items of the top-level `findings` array (depth 2)."""
    items = (_indented(json.dumps(finding_dict(f), indent=2), "    ") for f in findings)
    return ",\n    ".join(items)


def _findings_array(report: Report) -> Iterator[str]:
    opened = False
    for block in report.file_blocks(_VIEW, _file_items):
        if block:
            yield (",\n    " if opened else "[\n    ") + block
            opened = True
    yield "\n  ]" if opened else "[]"


class JsonRenderer(Renderer):
    """`json.dumps(report_dict(report), indent=2)`, written as it is produced, with each
    file's findings rendered as one block (kept by the result cache for the next run)."""

    name = "json"

    def chunks(self, report: Report, options: RenderOptions) -> Iterator[str]:
        yield "{"
        for index, (key, value) in enumerate(report_dict(report).items()):
            yield ("\n  " if index == 0 else ",\n  ") + json.dumps(key) + ": "
            if key == "findings":
                yield from _findings_array(report)
            else:
                yield _indented(json.dumps(value, indent=2), "  ")
        yield "\n}\n"
