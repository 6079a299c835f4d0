"""The records every stage of a run shares. Renderers see only the frozen `Report`."""

from __future__ import annotations

from abc import abstractmethod
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from checker.loader import JsonPath
from checker.redact import redact
from checker.textsafe import inline
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
    "verify",
)
SUBJECTS = ("stage", "location", "movement")
STATUSES = ("pass", "fail", "waived")
# What the manifest fact that decided a finding rests on (providers-v1.md, "Basis").
BASES = ("verified", "contradicted", "asserted")


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
    # Location facts (manifest field names) a passing finding of this rule confirms and a
    # failing one contradicts at its location: METADATA `custom.verifies`.
    verifies: tuple[str, ...] = ()


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
    basis: str = "asserted"

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

    def __post_init__(self) -> None:
        # Every report format and stderr print problems: an echoed credential stops here.
        object.__setattr__(self, "message", redact(self.message))

    def one_line(self) -> str:
        where = f"{self.source}:{self.line}:{self.column}" if self.line else self.source
        return inline(f"{where}: {self.message}")  # one line, whatever the manifest holds


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
class Provenance:
    """Where and when an audit report was made (checker/provenance.py): not part of what was
    checked, so only the audit report carries it."""

    generated_at: str  # ISO 8601, UTC; SOURCE_DATE_EPOCH when set, for reproducible reports
    commit: str = ""  # HEAD of the repository the run happened in; "" outside one
    dirty: bool = False  # tracked files differed from that commit
    waivers_file: str = ""
    waivers_sha256: str = ""


class StoredFindings(Collection[Finding]):
    """Findings kept outside the Report (checker/spool.py), read back in report order each time
    they are iterated: a batch of 10,000 manifests holds a million of them."""

    @abstractmethod
    def of_manifest(self, manifest: str) -> Iterator[Finding]:
        """The findings of one input file, in report order."""

    @abstractmethod
    def manifests(self) -> Iterator[str]:
        """The input files that have findings, in report order."""

    @abstractmethod
    def blocks(self, view: str, render: FileRenderer) -> Iterator[str]:
        """`render` of each input file's findings, in report order. `view` names the
        renderer and every option its text depends on: a store may answer a file from an
        earlier run's rendering of the same findings in the same view."""


# One input file's findings, in report order, to its rendered text (a pure function of them).
FileRenderer = Callable[[Sequence["Finding"]], str]


@dataclass(frozen=True, slots=True)
class Tally:
    """What renderers must know of all findings before they write the first one (summary
    counts, exit code, SARIF's rule list, waiver use): kept by the run as findings go by."""

    by_status: tuple[int, ...]  # in STATUSES order
    failed_by_severity: tuple[int, ...]  # in Severity order (advisory, warning, error)
    unlisted: tuple[Finding, ...] = ()  # the first finding of each rule the catalogue lacks
    waiver_uses: tuple[tuple[Waiver, int], ...] = ()

    @classmethod
    def of(cls, findings: Iterable[Finding], rules: Iterable[RuleMeta]) -> Tally:
        counter = Tallier(rules)
        for rank, finding in enumerate(findings):
            counter.add(finding, rank)
        return counter.tally()


class Tallier:
    """Builds a Tally from findings in any order. `rank` orders them as the report does (the
    first finding of an unlisted rule in report order is the one SARIF describes): by
    default the sort key, which is the order of a run's report."""

    def __init__(self, rules: Iterable[RuleMeta]) -> None:
        self._listed = frozenset(meta.rule_id for meta in rules)
        self._status: Counter[str] = Counter()
        self._failed: Counter[Severity] = Counter()
        self._waivers: Counter[Waiver] = Counter()
        self._unlisted: dict[str, tuple[Any, Finding]] = {}
        self.frameworks: set[str] = set()

    def add(self, finding: Finding, rank: Any = None) -> None:
        self._status[finding.status] += 1
        if finding.failed:
            self._failed[finding.severity] += 1
        if finding.waiver is not None:
            self._waivers[finding.waiver] += 1
        self.frameworks.add(finding.framework)
        if finding.rule_id not in self._listed:
            rank = finding.sort_key() if rank is None else rank
            seen = self._unlisted.get(finding.rule_id)
            if seen is None or rank < seen[0]:
                self._unlisted[finding.rule_id] = (rank, finding)

    def add_counts(
        self,
        statuses: Iterable[tuple[str, int]],
        failed: Iterable[tuple[str, int]],
        frameworks: Iterable[str],
    ) -> None:
        """What `add` counts for findings of listed rules without waivers, counted earlier."""
        for status, count in statuses:
            self._status[status] += count
        for severity, count in failed:
            self._failed[Severity(severity)] += count
        self.frameworks.update(frameworks)

    def tally(self) -> Tally:
        unlisted = sorted(self._unlisted.values(), key=lambda pair: pair[0])
        return Tally(
            by_status=tuple(self._status[s] for s in STATUSES),
            failed_by_severity=tuple(self._failed[s] for s in Severity),
            unlisted=tuple(finding for _, finding in unlisted),
            waiver_uses=tuple(self._waivers.items()),
        )


@dataclass(frozen=True, slots=True)
class Report:
    tool_version: str
    engine: EngineInfo
    policy_digest: str
    as_of: str
    fail_on: str
    inputs: tuple[InputSummary, ...]
    # In report order (Finding.sort_key). A run's report reads them back from its spool; a
    # report built in memory (tests, small tools) holds a tuple. Renderers only iterate.
    findings: tuple[Finding, ...] | StoredFindings
    problems: tuple[Problem, ...]
    rules: tuple[RuleMeta, ...]
    manifests_valid: int
    manifests_invalid: int
    frameworks: tuple[str, ...] = field(default=())
    waivers: tuple[Waiver, ...] = ()  # every waiver loaded for the run
    unused_waivers: tuple[Waiver, ...] = ()
    topologies: Collection[Topology] = ()  # one per valid manifest, for the audit report
    # Counted by the run while findings streamed past; None: counted from `findings` on use.
    tally: Tally | None = None
    provenance: Provenance | None = None  # the audit report's; None for other formats
    # About the run as a whole, shown on stderr like a file's notices (not in the formats).
    notices: tuple[str, ...] = ()

    def stats(self) -> Tally:
        return self.tally if self.tally is not None else Tally.of(self.findings, self.rules)

    def findings_in(self, manifest: str) -> Iterator[Finding]:
        """One input file's findings, in report order (JUnit suites, audit sections)."""
        if isinstance(self.findings, StoredFindings):
            return self.findings.of_manifest(manifest)
        return (f for f in self.findings if f.manifest == manifest)

    def file_blocks(self, view: str, render: FileRenderer) -> Iterator[str]:
        """`render` of each input file's findings in report order (StoredFindings.blocks)."""
        if isinstance(self.findings, StoredFindings):
            return self.findings.blocks(view, render)
        by_manifest: dict[str, list[Finding]] = {}
        for finding in self.findings:
            by_manifest.setdefault(finding.manifest, []).append(finding)
        return (render(tuple(found)) for found in by_manifest.values())

    def finding_manifests(self) -> Iterator[str]:
        """The manifests findings name, each once, in report order."""
        if isinstance(self.findings, StoredFindings):
            return self.findings.manifests()
        return iter(dict.fromkeys(f.manifest for f in self.findings))

    @property
    def failing(self) -> tuple[Finding, ...]:
        threshold = fail_threshold(self.fail_on)
        return tuple(f for f in self.findings if f.failed and f.severity.rank >= threshold)

    def counts(self) -> dict[str, dict[str, int]]:
        stats = self.stats()
        return {
            "by_status": dict(zip(STATUSES, stats.by_status, strict=True)),
            "failed_by_severity": {
                s.value: n for s, n in zip(Severity, stats.failed_by_severity, strict=True)
            },
        }

    def exit_code(self) -> int:
        codes = [0]
        threshold = fail_threshold(self.fail_on)
        failed = zip(Severity, self.stats().failed_by_severity, strict=True)
        if any(count and severity.rank >= threshold for severity, count in failed):
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
