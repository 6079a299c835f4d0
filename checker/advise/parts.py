"""Independent parts of a manifest: pipelines that share no dataset and no transfer.

Lineage, movements and every stage or movement finding of a stage stay inside its part
(what it reads and writes, who writes and reads that, the transfers carrying it, the
locations those run at and go to), so a variant that moves stages of one part can be
evaluated on that part alone. That matters for the embedded engine, whose cost grows faster
than the manifest: six pipelines of five stages at ten locations cost far less as small
manifests of one pipeline and the three locations each variant touches than as one.
Paths in the findings of a part point into it; `remap` turns them back into paths of the
manifest as written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_LISTS = ("stages", "datasets", "transfers", "locations")


@dataclass(frozen=True, slots=True)
class Part:
    """Original indices of the stages, datasets, transfers and locations a part keeps."""

    stages: tuple[int, ...]
    datasets: tuple[int, ...]
    transfers: tuple[int, ...]
    locations: tuple[int, ...] = ()

    def at(self, spec: Mapping[str, Any], target: str) -> Part:
        """The part with the locations a variant moving its stages to `target` touches: where
        its stages run, where its transfers go. The others only have findings of their own."""
        used = {target} | {str(spec["stages"][i]["location"]) for i in self.stages}
        for j in self.transfers:
            used |= {str(spec["transfers"][j]["from"]), str(spec["transfers"][j]["to"])}
        kept = tuple(i for i, loc in enumerate(spec["locations"]) if str(loc["id"]) in used)
        return Part(self.stages, self.datasets, self.transfers, kept)

    def of(self, name: str) -> tuple[int, ...]:
        indices: tuple[int, ...] = getattr(self, name)
        return indices


def split(spec: Mapping[str, Any]) -> list[Part]:
    """The parts of a manifest; one part (the whole) when it is one pipeline."""
    stages: Sequence[Mapping[str, Any]] = spec["stages"]
    transfers: Sequence[Mapping[str, Any]] = spec.get("transfers", [])
    parent = list(range(len(stages)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Stages touching a dataset, directly or through a transfer carrying it, belong together.
    touching: dict[str, list[int]] = {}
    for i, stage in enumerate(stages):
        for d in (*stage.get("inputs", ()), *stage.get("outputs", ())):
            touching.setdefault(str(d), []).append(i)
    groups = [touching.get(str(d), []) for d in touching]
    groups += [[i for d in t["datasets"] for i in touching.get(str(d), [])] for t in transfers]
    for group in groups:
        for i in group[1:]:
            parent[root(i)] = root(group[0])
    members: dict[int, list[int]] = {}
    for i in range(len(stages)):
        members.setdefault(root(i), []).append(i)
    parts = []
    for indices in sorted(members.values()):
        used = {
            str(d)
            for i in indices
            for d in (*stages[i].get("inputs", ()), *stages[i].get("outputs", ()))
        }
        kept = tuple(j for j, t in enumerate(transfers) if used & {str(d) for d in t["datasets"]})
        used |= {str(d) for j in kept for d in transfers[j]["datasets"]}
        datasets = tuple(j for j, d in enumerate(spec["datasets"]) if str(d["id"]) in used)
        everywhere = tuple(range(len(spec["locations"])))
        parts.append(Part(tuple(indices), datasets, kept, everywhere))
    return parts


def cut(spec: Mapping[str, Any], part: Part) -> dict[str, Any]:
    """The spec with only the part's stages, datasets, transfers and locations."""
    result = dict(spec)
    for name in _LISTS:
        if name in spec:
            result[name] = [spec[name][i] for i in part.of(name)]
    return result


def remap(path: Sequence[Any], part: Part) -> list[Any]:
    """A path into the part as a path into the manifest as written."""
    result = list(path)
    in_list = len(result) >= 3 and result[0] == "spec" and result[1] in _LISTS
    if in_list and isinstance(result[2], int) and 0 <= result[2] < len(part.of(result[1])):
        result[2] = part.of(result[1])[result[2]]
    return result
