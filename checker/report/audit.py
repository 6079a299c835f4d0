"""The audit report's content, computed once for the Markdown and HTML renderers.

Per manifest: the stage x framework matrix, the movements of the data-flow diagram, the
frameworks in scope and what triggered them. Nothing here decides compliance: statuses
come from the findings (Rego); this module only groups them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from checker.model import FRAMEWORKS, Finding, Report, RuleMeta, Waiver
from checker.topology import DatasetNode, Topology

NOT_APPLICABLE = "n/a"
_ORDER = {name: i for i, name in enumerate(FRAMEWORKS)}


@dataclass(frozen=True, slots=True)
class Cell:
    status: str  # fail, waived, pass or n/a: the worst status among the findings
    failed: int = 0
    waived: int = 0
    passed: int = 0

    @property
    def total(self) -> int:
        return self.failed + self.waived + self.passed


@dataclass(frozen=True, slots=True)
class Row:
    kind: str  # stage, location or movement
    label: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Edge:
    """A movement between two locations: declared transfers and movements found by rules."""

    source: str
    target: str
    datasets: tuple[str, ...]
    declared: bool
    status: str  # fail, waived, pass or n/a (no rule looked at it)
    failing_rules: tuple[str, ...]

    @property
    def label(self) -> str:
        """What the diagram writes on the arrow: the datasets, then what fails."""
        text = ", ".join(self.datasets)
        if self.failing_rules:
            text += " ✗ " + ", ".join(self.failing_rules)
        return text if self.declared else text + " (undeclared)"


@dataclass(frozen=True, slots=True)
class Trigger:
    framework: str
    because: str  # what in the data puts the framework in scope
    subjects: int  # how many findings the framework produced here


@dataclass(frozen=True, slots=True)
class Claim:
    """A location's facts as a checking rule judged them (METADATA `custom.verifies`)."""

    location: str
    facts: str  # the manifest fields, e.g. "fedramp"; "" for a rule that checks coverage
    state: str  # verified, contradicted or unverifiable
    rule_id: str
    evidence: str  # the finding's message: what the record says, its sources and date


@dataclass(frozen=True, slots=True)
class Section:
    topology: Topology
    findings: tuple[Finding, ...]
    frameworks: tuple[str, ...]
    rows: tuple[Row, ...]
    edges: tuple[Edge, ...]
    triggers: tuple[Trigger, ...]
    waivers: tuple[Waiver, ...]
    claims: tuple[Claim, ...] = ()

    @property
    def failing_stages(self) -> frozenset[str]:
        return frozenset(f.stage for f in self.findings if f.failed and f.stage)

    @property
    def failing_locations(self) -> frozenset[str]:
        return frozenset(
            f.location for f in self.findings if f.failed and f.subject == "location" and f.location
        )


def cell(findings: Iterable[Finding]) -> Cell:
    statuses = [f.status for f in findings]
    counts = {s: statuses.count(s) for s in ("fail", "waived", "pass")}
    status = next((s for s in ("fail", "waived", "pass") if counts[s]), NOT_APPLICABLE)
    return Cell(status, counts["fail"], counts["waived"], counts["pass"])


def _row(kind: str, label: str, mine: list[Finding], frameworks: tuple[str, ...]) -> Row:
    return Row(kind, label, tuple(cell(f for f in mine if f.framework == fw) for fw in frameworks))


def _moves(f: Finding) -> tuple[str, str] | None:
    return (f.transfer.source, f.transfer.target) if f.transfer else None


def _rows(
    findings: tuple[Finding, ...], topology: Topology, frameworks: tuple[str, ...]
) -> list[Row]:
    rows = []
    for stage in topology.stages:
        mine = [f for f in findings if f.subject == "stage" and f.stage == stage.id]
        rows.append(
            _row("stage", f"{stage.id} ({stage.type}) at {stage.location}", mine, frameworks)
        )
    # Location and movement findings have no stage: they get rows of their own, so the
    # matrix accounts for every finding.
    for loc in topology.locations:
        mine = [f for f in findings if f.subject == "location" and f.location == loc.id]
        if mine:
            rows.append(_row("location", f"location {loc.id}", mine, frameworks))
    for pair in sorted({key for f in findings if (key := _moves(f))}):
        mine = [f for f in findings if _moves(f) == pair]
        rows.append(_row("movement", f"movement {pair[0]} -> {pair[1]}", mine, frameworks))
    return rows


def _edges(findings: tuple[Finding, ...], topology: Topology) -> list[Edge]:
    datasets: dict[tuple[str, str], set[str]] = {}
    declared: set[tuple[str, str]] = set()
    for t in topology.transfers:
        datasets.setdefault((t.source, t.target), set()).update(t.datasets)
        declared.add((t.source, t.target))
    # Movements implied by lineage (written at A, read at B) appear even when undeclared.
    writer = {d: s.location for s in topology.stages for d in s.outputs}
    for stage in topology.stages:
        for d in stage.inputs:
            if d in writer and writer[d] != stage.location:
                datasets.setdefault((writer[d], stage.location), set()).add(d)
    for f in findings:
        if f.transfer:
            datasets.setdefault((f.transfer.source, f.transfer.target), set()).update(
                f.transfer.datasets
            )
    edges = []
    for key in sorted(datasets):
        mine = [f for f in findings if _moves(f) == key]
        failing = tuple(sorted({f.rule_id for f in mine if f.failed}))
        edges.append(
            Edge(
                key[0],
                key[1],
                tuple(sorted(datasets[key])),
                key in declared,
                cell(mine).status,
                failing,
            )
        )
    return edges


def _regulated(d: DatasetNode) -> str:
    parts = sorted(set(d.classifications) - {"public", "internal"})
    if d.classification_level != "unclassified":
        parts.append(d.classification_level)
    return ", ".join(parts)


def _has(cls: str) -> Callable[[DatasetNode], str]:
    return lambda d: cls if cls in d.classifications else ""


def _ear(d: DatasetNode) -> str:
    parts = ["ear"] if "ear" in d.classifications else []
    if d.eccn not in ("", "EAR99"):
        parts.append(f"eccn {d.eccn}")
    return ", ".join(parts)


# What puts each framework in scope (rules-v1.md, "applies where"), as the declared dataset
# attribute that starts it; lineage then carries it to everything derived from the dataset.
# This only explains the scope: whether a framework applies is what its rules returned.
_TRIGGERS: dict[str, Callable[[DatasetNode], str]] = {
    "hipaa": _has("phi"),
    "cui": _has("cui"),
    "itar": _has("itar"),
    "gdpr": _has("eu_personal"),
    "ear": _ear,
    "fedramp": lambda d: f"fips199_impact {d.fips199_impact}" if d.fips199_impact else "",
    "dod_srg": lambda d: f"dod_impact_level {d.dod_impact_level}" if d.dod_impact_level else "",
    "classified": lambda d: (
        "" if d.classification_level == "unclassified" else d.classification_level
    ),
    "air_gap": lambda d: "requires_air_gap" if d.requires_air_gap else "",
    "hybrid": _regulated,
}


def because(framework: str, topology: Topology) -> str:
    if framework == "advisory":
        return "workload, model scale and location capacity, utilisation and pricing"
    if framework == "verify":
        return "locations that name a provider, checked against the provider catalogue"
    check = _TRIGGERS.get(framework)
    hits = [f"{d.id} ({check(d)})" for d in topology.datasets if check and check(d)]
    if framework == "air_gap":
        hits += [f"location {loc.id} (air_gapped)" for loc in topology.locations if loc.air_gapped]
    if not hits:
        return "data derived in the pipeline (see the findings)"
    return "declared on " + "; ".join(hits) + "; lineage carries it to everything derived"


def sections(report: Report) -> Iterator[Section]:
    """One section per valid manifest, in the order the run read them, made as they are
    written: only one manifest's findings are held at a time."""
    meta = {m.rule_id: m for m in report.rules}
    for topology in report.topologies:
        findings = tuple(
            f for f in report.findings_in(topology.manifest) if f.deployment == topology.deployment
        )
        frameworks = tuple(
            sorted({f.framework for f in findings}, key=lambda fw: (_ORDER.get(fw, 99), fw))
        )
        triggers = tuple(
            Trigger(fw, because(fw, topology), sum(1 for f in findings if f.framework == fw))
            for fw in frameworks
        )
        waivers = tuple(dict.fromkeys(f.waiver for f in findings if f.waiver is not None))
        yield Section(
            claims=claims(findings, meta),
            topology=topology,
            findings=findings,
            frameworks=frameworks,
            rows=tuple(_rows(findings, topology, frameworks)),
            edges=tuple(_edges(findings, topology)),
            triggers=triggers,
            waivers=waivers,
        )


@dataclass(frozen=True, slots=True)
class Control:
    """One control of one framework (its citation) across every manifest of the run."""

    framework: str
    citation: str
    rules: tuple[str, ...]
    cell: Cell
    failing: tuple[str, ...]  # the deployments (and manifests) failing it, in report order


class _Tally:
    __slots__ = ("failing", "rules", "statuses")

    def __init__(self) -> None:
        self.rules: set[str] = set()
        self.statuses: dict[str, int] = {"fail": 0, "waived": 0, "pass": 0}
        self.failing: dict[str, None] = {}


def controls(report: Report) -> tuple[Control, ...]:
    """The view by framework and control beside the view by manifest: one pass over the
    findings, keeping counts and names per control, never the findings themselves."""
    seen: dict[tuple[str, str], _Tally] = {}
    for f in report.findings:
        tally = seen.setdefault((f.framework, f.citation), _Tally())
        tally.rules.add(f.rule_id)
        tally.statuses[f.status] = tally.statuses.get(f.status, 0) + 1
        if f.failed:
            tally.failing.setdefault(f"{f.deployment} ({f.manifest})")
    rows = []
    for (framework, citation), tally in sorted(
        seen.items(), key=lambda item: (_ORDER.get(item[0][0], 99), item[0][0], item[0][1])
    ):
        counts = tally.statuses
        status = next((s for s in ("fail", "waived", "pass") if counts[s]), NOT_APPLICABLE)
        rows.append(
            Control(
                framework,
                citation,
                tuple(sorted(tally.rules)),
                Cell(status, counts["fail"], counts["waived"], counts["pass"]),
                tuple(tally.failing),
            )
        )
    return tuple(rows)


def claims(findings: Iterable[Finding], meta: dict[str, RuleMeta]) -> tuple[Claim, ...]:
    """Per location, which claims were verified, contradicted or could not be verified.

    A rule that declares the facts it checks verifies them when it passes and contradicts
    them when it fails; a failing rule of the same framework that declares none either
    contradicts the manifest (a bound resource gone, storage that can be made public) or,
    advisory (VER-006, EVID-006), says why the location's remaining claims are unverifiable.
    """
    checking = {m.framework for m in meta.values() if m.verifies}
    rows = []
    for f in findings:
        rule = meta.get(f.rule_id)
        if rule is None or f.subject != "location" or not f.location:
            continue
        if rule.verifies:
            state = "contradicted" if f.status == "fail" else "verified"
            if f.status == "waived":
                state = "contradicted (waived)"
            rows.append(Claim(f.location, ", ".join(rule.verifies), state, f.rule_id, f.message))
        elif rule.framework in checking and f.status != "pass":
            # What the finding's basis says (checker/findings.py): a failed check of the code
            # or the catalogue contradicts the manifest; an advisory one leaves it unverified.
            state = "contradicted" if f.basis == "contradicted" else "unverifiable"
            if state == "contradicted" and f.status == "waived":
                state = "contradicted (waived)"
            rows.append(Claim(f.location, "", state, f.rule_id, f.message))
    return tuple(sorted(rows, key=lambda c: (c.location, c.rule_id)))
