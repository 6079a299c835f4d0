"""`--format json`: the versioned report of cli-v1.md (schemas/report.schema.json)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from checker.model import Finding, Problem, Report, Waiver
from checker.report.interface import Renderer, RenderOptions
from checker.report.json_stream import LazyArray, json_chunks

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
    """The report as JSON values; `findings` is produced while it is encoded (json_stream)."""
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


class JsonRenderer(Renderer):
    name = "json"

    def chunks(self, report: Report, options: RenderOptions) -> Iterator[str]:
        return json_chunks(report_dict(report))
