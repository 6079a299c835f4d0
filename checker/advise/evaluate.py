"""Every variant of every manifest through the engine seam, in one batch, to findings and facts.

The policies decide everything: the rules give the findings, `policies/advise/` the facts
advise needs beside them (movements per placement, location categories, architecture).
Facts are the objects with an `advise` key; the input flag `_tdcheck.advise` asks for them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from checker.advise.parts import Part, remap
from checker.advise.variants import Variant, build, plan
from checker.engine import Engine
from checker.errors import EngineError
from checker.findings import ShapeError, to_finding
from checker.loader import Document
from checker.model import Finding, RuleMeta


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one evaluation (the manifest, or one variant) produced."""

    variant: Variant | None  # None: the manifest as it stands
    findings: tuple[Finding, ...]
    facts: tuple[Mapping[str, Any], ...]

    def facts_of(self, kind: str) -> list[Mapping[str, Any]]:
        return [fact for fact in self.facts if fact.get("advise") == kind]


@dataclass(frozen=True, slots=True)
class Evaluated:
    """A manifest's outcomes, or the one-line reason it could not be evaluated."""

    doc: Document
    outcomes: tuple[Outcome, ...] = ()
    error: str | None = None


def engine_input(
    value: Mapping[str, Any], as_of: str, evidence: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """As `check` builds it, with the advise flag; a variant moves stages, never locations,
    so the Terraform bound to each location still describes it."""
    document = dict(value)
    document["_tdcheck"] = {"as_of": as_of, "advise": True, "evidence": dict(evidence or {})}
    return document


Plan = list[Variant | None]  # None first: the manifest as it stands


def plan_all(documents: Sequence[Document], exhaustive: bool = False) -> list[Plan]:
    return [[None, *plan(doc.value, exhaustive)] for doc in documents]


def evaluate_all(
    engine: Engine,
    documents: Sequence[Document],
    plans: Sequence[Plan],
    as_of: str,
    catalogue: Mapping[str, RuleMeta],
) -> list[Evaluated]:
    """One engine call for everything, so an engine that spreads work over workers can."""
    inputs = [
        engine_input(
            doc.value if variant is None else build(doc.value, variant), as_of, doc.evidence
        )
        for doc, variants in zip(documents, plans, strict=True)
        for variant in variants
    ]
    answers = engine.evaluate(inputs)
    if len(answers) != len(inputs):
        raise EngineError(f"the engine answered {len(answers)} of {len(inputs)} evaluations")
    results = iter(answers)
    evaluated = []
    for doc, variants in zip(documents, plans, strict=True):
        outcomes: list[Outcome] = []
        error: str | None = None
        for variant in variants:
            result = next(results)
            if error is not None:
                continue
            if result.error is not None:
                error = result.error
                continue
            try:
                outcomes.append(_outcome(variant, result.findings, doc, catalogue))
            except ShapeError as exc:
                error = f"engine returned a malformed finding: {exc}"
        evaluated.append(Evaluated(doc, tuple(outcomes), error))
    return evaluated


def _outcome(
    variant: Variant | None,
    raw: Sequence[Mapping[str, Any]],
    doc: Document,
    catalogue: Mapping[str, RuleMeta],
) -> Outcome:
    facts = tuple(item for item in raw if "advise" in item)
    part = variant.part if variant else None
    # A variant changes only stage locations, so once a part's paths are remapped the
    # original document maps every finding to its line.
    findings = tuple(
        to_finding(item if part is None else _remapped(item, part), doc, catalogue)
        for item in raw
        if "advise" not in item
    )
    if variant is None and not facts:
        raise ShapeError(
            "no advise facts: the policy set lacks policies/advise (data.tdcheck.rules.advise)"
        )
    return Outcome(variant, findings, facts)


def _remapped(raw: Mapping[str, Any], part: Part) -> dict[str, Any]:
    item = dict(raw)
    if isinstance(item.get("path"), list):
        item["path"] = remap(item["path"], part)
    return item
