"""`advise --format json`: versioned, described by schemas/advise.schema.json."""

from __future__ import annotations

import json
from typing import Any

from checker.advise.model import AdviceReport, ManifestAdvice, Placement
from checker.model import Finding
from checker.report.json_report import finding_dict, problem_dict

ADVISE_VERSION = 1


_ADVISE_FINDING_KEYS = (
    "rule_id", "framework", "severity", "status", "subject", "stage", "location", "transfer",
    "message", "title", "citation", "remediation", "line", "column",
)  # fmt: skip


def finding_json(finding: Finding) -> dict[str, Any]:
    """The report's finding shape, restricted to what advise documents in its schema."""
    full = finding_dict(finding)
    return {key: full[key] for key in _ADVISE_FINDING_KEYS}


def _findings(findings: tuple[Finding, ...]) -> list[dict[str, Any]]:
    return [finding_json(f) for f in findings]


def _placement(p: Placement) -> dict[str, Any]:
    return {
        "location": p.location,
        "current": p.current,
        "verdict": p.verdict,
        "blocking": _findings(p.blocking),
        "transfers": _findings(p.transfers),
        "warnings": _findings(p.warnings),
        "advisories": _findings(p.advisories),
    }


def manifest_json(m: ManifestAdvice) -> dict[str, Any]:
    s = m.summary
    return {
        "manifest": m.manifest,
        "deployment": m.deployment,
        "evaluations": m.evaluations,
        "locations": [
            {
                "id": loc.id,
                "kind": loc.kind,
                "country": loc.country,
                "category": loc.category,
                "findings": _findings(loc.findings),
            }
            for loc in m.locations
        ],
        "stages": [
            {
                "id": stage.id,
                "type": stage.type,
                "location": stage.location,
                "allowed": list(stage.allowed),
                "placements": [_placement(p) for p in stage.placements],
            }
            for stage in m.stages
        ],
        "summary": {
            "architecture": s.architecture,
            "used_locations": list(s.used_locations),
            "options": [
                {
                    "category": o.category,
                    "locations": list(o.locations),
                    "possible": o.possible,
                    "stages_kept_out": list(o.stages_kept_out),
                    "blocks": {location: list(kept) for location, kept in o.blocks},
                }
                for o in s.options
            ],
            "constraints": [
                {
                    "stage": c.stage,
                    "open_categories": list(c.open_categories),
                    "kept_out_of": list(c.kept_out_of),
                    "frameworks": list(c.frameworks),
                    "rules": list(c.rules),
                }
                for c in s.constraints
            ],
            "forced_by": list(s.forced_by),
            "stranded": list(m.stranded),
            "advice": _findings(s.advice),
            "thresholds": {key: _number(value) for key, value in s.thresholds},
        },
    }


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def advice_dict(report: AdviceReport) -> dict[str, Any]:
    return {
        "advise_version": ADVISE_VERSION,
        "tool": {"name": "tdcheck", "version": report.tool_version},
        "engine": {"name": report.engine.name, "version": report.engine.version},
        "policy_digest": report.policy_digest,
        "as_of": report.as_of,
        "fail_on": report.fail_on,
        "exit_code": report.exit_code(),
        "manifests": [manifest_json(m) for m in report.manifests],
        "errors": [problem_dict(p) for p in report.problems],
    }


class JsonAdvice:
    name = "json"

    def render(self, report: AdviceReport, verbose: bool) -> str:
        return json.dumps(advice_dict(report), indent=2) + "\n"
