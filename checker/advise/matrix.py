"""Findings of the evaluations to placements: which belong to "stage S at location L", verdicts.

Which findings belong to a placement:
- the stage findings about S (subject stage): they decide whether S may run at L;
- the movement findings about the movements the placement implies (the policies list
  them per stage: S's inputs arriving at L, its outputs leaving L for their readers).

Verdict, with the severities at or above --fail-on counting as failures:
- blocked: a stage finding fails. The rules about the stage at that location say no.
- needs_transfers: no stage finding fails, but a finding about the data the placement
  moves does. Moving a stage makes lineage imply new movements while the declared
  transfers stay as declared, so a move almost always creates an undeclared movement
  (HYB-DECL-001, HIPAA-ENC-002) or one over a transfer too weak for the data (ITAR-XFER-001,
  CLS-XFER-001). Those failures are fixed in the manifest's transfer list, not by choosing
  another location, so they do not block: they are the conditions of the move, listed with
  the rules' facts. A barrier that no transfer can lift (an accreditation below the data's
  level) also fails a stage rule at the location, and blocks there.
- allowed: neither. `check` on the manifest with S moved there gives no new failure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from checker.advise.evaluate import Outcome
from checker.advise.model import ALLOWED, BLOCKED, NEEDS_TRANSFERS, Placement, StageAdvice
from checker.model import Finding, Severity


def stage_advice(
    spec: Mapping[str, Any], outcomes: Sequence[Outcome], threshold: int
) -> tuple[StageAdvice, ...]:
    cells: dict[tuple[str, str], Placement] = {}
    for outcome in outcomes:
        movements = {
            str(fact["stage"]): fact.get("movements", []) for fact in outcome.facts_of("placement")
        }
        moved = outcome.variant.moved if outcome.variant else tuple(movements)
        location = outcome.variant.location if outcome.variant else None
        for stage_id in moved:
            where = location or _current(spec, stage_id)
            cells[(stage_id, where)] = _placement(
                stage_id, where, location is None, outcome.findings, movements, threshold
            )
    return tuple(
        StageAdvice(
            id=str(stage["id"]),
            type=str(stage["type"]),
            location=str(stage["location"]),
            placements=tuple(
                cells[(str(stage["id"]), str(loc["id"]))] for loc in spec["locations"]
            ),
        )
        for stage in spec["stages"]
    )


def _current(spec: Mapping[str, Any], stage_id: str) -> str:
    return next(str(s["location"]) for s in spec["stages"] if s["id"] == stage_id)


def _placement(
    stage_id: str,
    location: str,
    current: bool,
    findings: Sequence[Finding],
    movements: Mapping[str, Any],
    threshold: int,
) -> Placement:
    implied = movements.get(stage_id, [])
    mine = sorted(  # engines return sets: order them, or the two engines' advice differs
        (
            f
            for f in findings
            if f.failed
            and (
                (f.subject == "stage" and f.stage == stage_id)
                or (f.subject == "movement" and _implied(f, implied))
            )
        ),
        key=Finding.sort_key,
    )
    blocking = tuple(f for f in mine if f.subject == "stage" and f.severity.rank >= threshold)
    transfers = tuple(f for f in mine if f.subject == "movement" and f.severity.rank >= threshold)
    below = [f for f in mine if f.severity.rank < threshold]
    verdict = BLOCKED if blocking else NEEDS_TRANSFERS if transfers else ALLOWED
    return Placement(
        location=location,
        current=current,
        verdict=verdict,
        blocking=blocking,
        transfers=transfers,
        warnings=tuple(f for f in below if f.severity != Severity.ADVISORY),
        advisories=tuple(f for f in below if f.severity == Severity.ADVISORY),
    )


def _implied(finding: Finding, movements: Sequence[Mapping[str, Any]]) -> bool:
    """A movement finding (one dataset, or a whole declared transfer) on a placement movement."""
    transfer = finding.transfer
    if transfer is None:
        return False
    return any(
        m["from"] == transfer.source
        and m["to"] == transfer.target
        and set(m["datasets"]) & set(transfer.datasets)
        for m in movements
    )
