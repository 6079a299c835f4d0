"""Per manifest: the architecture it amounts to, what forces it, and the cost/scale advice.

The architecture and each location's category come from the policies (advise facts); the
rest is read off the placements: a category of location (cloud, on premises, air-gapped)
is possible for the whole pipeline when every stage has an open placement there, and a
stage kept out of a category is kept out by the frameworks of the findings that block it
at every location of that category.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from checker.advise.model import (
    CATEGORIES,
    Constraint,
    LocationInfo,
    Option,
    StageAdvice,
    Summary,
)
from checker.model import Finding


def summarise(
    architecture: Mapping[str, Any],
    locations: Sequence[LocationInfo],
    stages: Sequence[StageAdvice],
    baseline: Sequence[Finding],
) -> Summary:
    by_category = {
        category: tuple(loc.id for loc in locations if loc.category == category)
        for category in CATEGORIES
    }
    category_of = {loc.id: loc.category for loc in locations}
    blocked = {
        loc.id: tuple(
            s.id for s in stages if any(p.location == loc.id and not p.open for p in s.placements)
        )
        for loc in locations
    }
    options = tuple(
        Option(
            category=category,
            locations=by_category[category],
            stages_kept_out=tuple(
                s.id
                for s in stages
                if not any(p.open and category_of[p.location] == category for p in s.placements)
            ),
            blocks=tuple(
                (location, blocked[location])
                for location in by_category[category]
                if blocked[location]
            ),
        )
        for category in CATEGORIES
    )
    declared = [c for c in CATEGORIES if by_category[c]]
    constraints = tuple(
        c for c in (_constraint(s, declared, category_of) for s in stages) if c is not None
    )
    thresholds = architecture.get("thresholds", {})
    return Summary(
        architecture=str(architecture.get("architecture", "")),
        used_locations=tuple(str(x) for x in architecture.get("locations", [])),
        options=options,
        constraints=constraints,
        forced_by=tuple(sorted({f for c in constraints for f in c.frameworks})),
        advice=tuple(
            sorted(
                # the ADV rules (framework advisory), not every advisory-severity finding
                (f for f in baseline if f.framework == "advisory"),
                key=lambda f: (not f.failed, f.rule_id, f.location or "", f.stage or "", f.message),
            )
        ),
        thresholds=tuple(sorted((str(k), float(v)) for k, v in thresholds.items())),
    )


def _constraint(
    stage: StageAdvice, declared: Sequence[str], category_of: Mapping[str, str]
) -> Constraint | None:
    open_categories = tuple(
        c
        for c in declared
        if any(p.open and category_of[p.location] == c for p in stage.placements)
    )
    kept_out = tuple(c for c in declared if c not in open_categories)
    if not kept_out:
        return None
    blocking = [
        f for p in stage.placements if category_of[p.location] in kept_out for f in p.blocking
    ]
    return Constraint(
        stage=stage.id,
        open_categories=open_categories,
        kept_out_of=kept_out,
        frameworks=tuple(sorted({f.framework for f in blocking})),
        rules=tuple(sorted({f.rule_id for f in blocking})),
    )
