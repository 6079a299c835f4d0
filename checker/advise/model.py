"""The records of `tdcheck advise`: one placement per (stage, declared location), a summary."""

from __future__ import annotations

from dataclasses import dataclass

from checker.errors import EXIT_EVALUATION, EXIT_FINDINGS, EXIT_INPUT, EXIT_OK
from checker.model import EngineInfo, Finding, Problem

ALLOWED = "allowed"
NEEDS_TRANSFERS = "needs_transfers"
BLOCKED = "blocked"
VERDICTS = (ALLOWED, NEEDS_TRANSFERS, BLOCKED)
CATEGORIES = ("cloud", "on_premises", "air_gapped")


@dataclass(frozen=True, slots=True)
class Placement:
    """One stage evaluated as if it ran at one location, the rest of the manifest unchanged.

    `blocking`: failing findings about the stage there (subject stage) at or above
    --fail-on. `transfers`: failing findings at or above --fail-on about the data the
    placement moves (subject movement). Both lists carry the rules' own messages (the facts).
    """

    location: str
    current: bool
    verdict: str
    blocking: tuple[Finding, ...] = ()
    transfers: tuple[Finding, ...] = ()
    warnings: tuple[Finding, ...] = ()  # failing, below --fail-on, not advisory
    advisories: tuple[Finding, ...] = ()  # failing advisory findings of the placement

    @property
    def open(self) -> bool:
        """Allowed, or allowed once the transfers it implies are declared as the rules ask."""
        return self.verdict != BLOCKED


@dataclass(frozen=True, slots=True)
class StageAdvice:
    id: str
    type: str
    location: str  # where the manifest runs it now
    placements: tuple[Placement, ...]  # in the order of spec.locations

    def at(self, location: str) -> Placement:
        return next(p for p in self.placements if p.location == location)

    @property
    def allowed(self) -> tuple[str, ...]:
        return tuple(p.location for p in self.placements if p.verdict == ALLOWED)


@dataclass(frozen=True, slots=True)
class LocationInfo:
    id: str
    kind: str
    country: str
    category: str  # cloud, on_premises or air_gapped (from the policies)
    findings: tuple[Finding, ...] = ()  # its own failing findings (subject location), as it stands


@dataclass(frozen=True, slots=True)
class Option:
    """Could every stage run in this category of location (cloud, on premises, air-gapped)?"""

    category: str
    locations: tuple[str, ...]
    stages_kept_out: tuple[str, ...]
    # Per location of the category, the stages it blocks (only locations blocking some).
    blocks: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def possible(self) -> bool:
        return bool(self.locations) and not self.stages_kept_out

    @property
    def open_locations(self) -> tuple[str, ...]:
        """The locations that block no stage: those that make the option possible alone."""
        blocking = {location for location, _ in self.blocks}
        return tuple(loc for loc in self.locations if loc not in blocking)


@dataclass(frozen=True, slots=True)
class Constraint:
    """A stage the rules keep out of some categories of declared location, and why."""

    stage: str
    open_categories: tuple[str, ...]  # empty: no declared location is open to it
    kept_out_of: tuple[str, ...]
    frameworks: tuple[str, ...]
    rules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Summary:
    architecture: str  # what the placement amounts to: cloud, on_premises, hybrid, air_gapped
    used_locations: tuple[str, ...]
    options: tuple[Option, ...]
    constraints: tuple[Constraint, ...]
    forced_by: tuple[str, ...]  # the frameworks of the constraints
    # Advisory (ADV) findings of the manifest as it stands, failing (advice given) first:
    # passing ones carry the numbers too ("40% utilisation, but no cloud option").
    advice: tuple[Finding, ...]
    thresholds: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class ManifestAdvice:
    manifest: str
    deployment: str
    evaluations: int  # engine evaluations spent (the manifest and its variants)
    locations: tuple[LocationInfo, ...]
    stages: tuple[StageAdvice, ...]
    summary: Summary

    def location(self, location_id: str) -> LocationInfo:
        return next(loc for loc in self.locations if loc.id == location_id)

    def stage(self, stage_id: str) -> StageAdvice:
        return next(stage for stage in self.stages if stage.id == stage_id)

    @property
    def stranded(self) -> tuple[str, ...]:
        """Stages that no declared location is open to."""
        return tuple(s.id for s in self.stages if not any(p.open for p in s.placements))


@dataclass(frozen=True, slots=True)
class AdviceReport:
    tool_version: str
    engine: EngineInfo
    policy_digest: str
    as_of: str
    fail_on: str
    manifests: tuple[ManifestAdvice, ...]
    problems: tuple[Problem, ...]

    def exit_code(self) -> int:
        """1 when a stage has nowhere to run; 2 bad input; 3 something went unevaluated."""
        codes = [EXIT_OK]
        if any(m.stranded for m in self.manifests):
            codes.append(EXIT_FINDINGS)
        if any(p.kind == "input" for p in self.problems):
            codes.append(EXIT_INPUT)
        if any(p.kind == "evaluation" for p in self.problems):
            codes.append(EXIT_EVALUATION)
        return max(codes)
