"""Which variant manifests answer every (stage, location) question, with as few as possible.

A placement is "stage S at location L, the rest of the manifest unchanged". Evaluating one
variant per placement costs stages x locations engine evaluations. Two facts of the
contract make far fewer enough (rules-v1.md, manifest-v1.md):

- a stage finding is about one (stage, location) pair, and lineage does not depend on
  where stages run, so moving other stages does not change the findings about S;
- the movements S's placement implies join S's location to the locations of the stages
  it shares data with (the writers of its inputs, the readers of its outputs).

So stages that share no dataset can move together: colour the graph "shares a dataset"
and, for each colour and each location, evaluate one variant with every stage of that
colour moved there. Each moved stage then has exactly the stage findings and the
movements it would have if it alone had moved. A pipeline (a chain) needs two colours:
2 x locations variants instead of stages x locations. Each variant is cut to the pipeline
and the locations it touches (parts.py): independent pipelines of one manifest are
evaluated apart, in more but much smaller evaluations.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from checker.advise.parts import Part, cut, split


@dataclass(frozen=True, slots=True)
class Variant:
    """The manifest (or one independent part of it) with `moved` stages at `location`."""

    location: str
    moved: tuple[str, ...]
    part: Part | None = None


def _datasets(stage: Mapping[str, Any]) -> set[str]:
    return set(stage.get("inputs", ())) | set(stage.get("outputs", ()))


def colour_classes(stages: Sequence[Mapping[str, Any]]) -> list[tuple[str, ...]]:
    """Stages grouped so that no two in a group share a dataset (greedy, most-connected first)."""
    ids = [str(s["id"]) for s in stages]
    data = {str(s["id"]): _datasets(s) for s in stages}
    neighbours = {a: {b for b in ids if b != a and data[a] & data[b]} for a in ids}
    colour: dict[str, int] = {}
    for stage_id in sorted(ids, key=lambda s: (-len(neighbours[s]), ids.index(s))):
        taken = {colour[n] for n in neighbours[stage_id] if n in colour}
        colour[stage_id] = next(c for c in range(len(ids) + 1) if c not in taken)
    classes = sorted({*colour.values()})
    return [tuple(s for s in ids if colour[s] == c) for c in classes]


def plan(manifest: Mapping[str, Any], exhaustive: bool = False) -> list[Variant]:
    """The variants, each moving at least one stage; the manifest itself covers the rest.

    `exhaustive`: one variant per placement, each moving one stage (what the grouping must
    agree with; the tests compare the two)."""
    spec = manifest["spec"]
    where = {str(s["id"]): str(s["location"]) for s in spec["stages"]}
    parts = split(spec)
    variants = []
    for part in parts:
        stages = [spec["stages"][i] for i in part.stages]
        groups = [(str(s["id"]),) for s in stages] if exhaustive else colour_classes(stages)
        for group in groups:
            for location in spec["locations"]:
                loc_id = str(location["id"])
                moved = tuple(s for s in group if where[s] != loc_id)
                # Exhaustive is the reference the grouping is tested against: whole manifests.
                if moved:
                    variants.append(
                        Variant(loc_id, moved, None if exhaustive else part.at(spec, loc_id))
                    )
    return variants


def build(manifest: Mapping[str, Any], variant: Variant) -> dict[str, Any]:
    """A copy of the manifest with the variant's stages at its location; nothing else changes
    (declared transfers stay as declared, so the movements lineage implies are recomputed)."""
    value = dict(manifest)
    spec = cut(value["spec"], variant.part) if variant.part else dict(value["spec"])
    stages = copy.deepcopy(list(spec["stages"]))
    for stage in stages:
        if stage["id"] in variant.moved:
            stage["location"] = variant.location
    spec["stages"] = stages
    value["spec"] = spec
    return value
