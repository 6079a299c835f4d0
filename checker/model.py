"""The records every stage of a run shares. Renderers see only the frozen `Report`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from checker.loader import JsonPath
from checker.topology import Topology


class Severity(StrEnum):
    ADVISORY = "advisory"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.ADVISORY: 1, Severity.WARNING: 2, Severity.ERROR: 3}

FAIL_ON_CHOICES = ("error", "warning", "advisory", "never")
FRAMEWORKS = (
    "hipaa",
    "fedramp",
    "dod_srg",
    "cui",
    "itar",
    "ear",
    "classified",
    "air_gap",
    "gdpr",
    "hybrid",
    "advisory",
)
SUBJECTS = ("stage", "location", "movement")
STATUSES = ("pass", "fail", "waived")


@dataclass(frozen=True, slots=True)
class RuleMeta:
    """One rule as its METADATA describes it: the only catalogue there is."""

    rule_id: str
    title: str
    description: str
    framework: str
    severity: Severity
    subject: str
    citation: str
    remediation: str
    package: str
    source: str
    severity_from: str = ""


@dataclass(frozen=True, slots=True)
class Waiver:
    """One entry of the waivers file (cli-v1.md): globs on deployment, stage and location."""

    rule: str
    reason: str
    approved_by: str
    expires: str
    deployment: str = "*"
    stage: str = "*"
    location: str = "*"
    source: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Movement:
    source: str
    target: str
    datasets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    framework: str
    severity: Severity
    status: str
    subject: str
    stage: str | None
    location: str | None
    transfer: Movement | None
    message: str
    path: JsonPath
    title: str
    citation: str
    remediation: str
    manifest: str
    deployment: str
    line: int
    column: int
    waiver: Waiver | None = None

    @property
    def failed(self) -> bool:
        return self.status == "fail"

    def sort_key(self) -> tuple[Any, ...]:
        transfer = self.transfer
        return (
            self.manifest,
            self.deployment,
            self.status != "fail",
            -self.severity.rank,
            self.stage or "",
            self.location or "",
            (transfer.source, transfer.target, transfer.datasets) if transfer else ("", "", ()),
            self.rule_id,
            self.message,
        )


@dataclass(frozen=True, slots=True)
class Problem:
    """A located one-line error: bad input (exit 2) or something left unevaluated (exit 3)."""

    kind: str  # "input" or "evaluation"
    source: str
    line: int
    column: int
    message: str

    def one_line(self) -> str:
        where = f"{self.source}:{self.line}:{self.column}" if self.line else self.source
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class InputSummary:
    path: str
    sha256: str
    deployments: tuple[str, ...]
    errors: tuple[str, ...]
    notices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EngineInfo:
    name: str
    version: str


@dataclass(frozen=True, slots=True)
class Report:
    tool_version: str
    engine: EngineInfo
    policy_digest: str
    as_of: str
    fail_on: str
    inputs: tuple[InputSummary, ...]
    findings: tuple[Finding, ...]
    problems: tuple[Problem, ...]
    rules: tuple[RuleMeta, ...]
    manifests_valid: int
    manifests_invalid: int
    frameworks: tuple[str, ...] = field(default=())
    waivers: tuple[Waiver, ...] = ()  # every waiver loaded for the run
    unused_waivers: tuple[Waiver, ...] = ()
    topologies: tuple[Topology, ...] = ()  # one per valid manifest, for the audit report

    @property
    def failing(self) -> tuple[Finding, ...]:
        threshold = fail_threshold(self.fail_on)
        return tuple(f for f in self.findings if f.failed and f.severity.rank >= threshold)

    def counts(self) -> dict[str, dict[str, int]]:
        by_status = Counter(f.status for f in self.findings)
        by_severity = Counter(f.severity.value for f in self.findings if f.failed)
        return {
            "by_status": {s: by_status.get(s, 0) for s in STATUSES},
            "failed_by_severity": {s.value: by_severity.get(s.value, 0) for s in Severity},
        }

    def exit_code(self) -> int:
        codes = [0]
        if self.failing:
            codes.append(1)
        if any(p.kind == "input" for p in self.problems):
            codes.append(2)
        if any(p.kind == "evaluation" for p in self.problems):
            codes.append(3)
        return max(codes)


def fail_threshold(fail_on: str) -> int:
    if fail_on == "never":
        return 99
    return Severity(fail_on).rank
