"""A manifest's structure as frozen records, so the audit report never re-reads files.

Only what the matrix, the data-flow diagram and the "frameworks in scope" section show:
datasets with their declared classes, locations, stages and declared transfers. Built in
run.py from documents that passed validation, so every field is known to be well formed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from checker.loader import Document


@dataclass(frozen=True, slots=True)
class DatasetNode:
    id: str
    classifications: tuple[str, ...]
    classification_level: str = "unclassified"
    fips199_impact: str = ""
    dod_impact_level: str = ""
    eccn: str = ""
    requires_air_gap: bool = False


@dataclass(frozen=True, slots=True)
class LocationNode:
    id: str
    kind: str
    country: str
    air_gapped: bool = False


@dataclass(frozen=True, slots=True)
class StageNode:
    id: str
    type: str
    location: str
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TransferEdge:
    id: str
    source: str
    target: str
    datasets: tuple[str, ...]
    channel: str
    encryption_in_transit: str = "none"


@dataclass(frozen=True, slots=True)
class Topology:
    manifest: str
    deployment: str
    datasets: tuple[DatasetNode, ...]
    locations: tuple[LocationNode, ...]
    stages: tuple[StageNode, ...]
    transfers: tuple[TransferEdge, ...]


def _list(value: Any) -> list[Mapping[str, Any]]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(item) for item in value) if isinstance(value, list) else ()


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def topology_of(doc: Document) -> Topology:
    value = doc.value if isinstance(doc.value, Mapping) else {}
    spec = _mapping(value.get("spec"))
    metadata = _mapping(value.get("metadata"))
    return Topology(
        manifest=doc.source,
        deployment=str(metadata.get("name", "")),
        datasets=tuple(
            DatasetNode(
                id=str(d.get("id", "")),
                classifications=_strings(d.get("classifications")),
                classification_level=str(d.get("classification_level", "unclassified")),
                fips199_impact=str(d.get("fips199_impact", "")),
                dod_impact_level=str(d.get("dod_impact_level", "")),
                eccn=str(d.get("eccn", "")),
                requires_air_gap=d.get("requires_air_gap") is True,
            )
            for d in _list(spec.get("datasets"))
        ),
        locations=tuple(
            LocationNode(
                id=str(loc.get("id", "")),
                kind=str(loc.get("kind", "")),
                country=str(loc.get("country", "")),
                air_gapped=loc.get("air_gapped") is True,
            )
            for loc in _list(spec.get("locations"))
        ),
        stages=tuple(
            StageNode(
                id=str(s.get("id", "")),
                type=str(s.get("type", "")),
                location=str(s.get("location", "")),
                inputs=_strings(s.get("inputs")),
                outputs=_strings(s.get("outputs")),
            )
            for s in _list(spec.get("stages"))
        ),
        transfers=tuple(
            TransferEdge(
                # manifest-v1.md: the id defaults to "<from>-><to>".
                id=str(t.get("id") or f"{t.get('from')}->{t.get('to')}"),
                source=str(t.get("from", "")),
                target=str(t.get("to", "")),
                datasets=_strings(t.get("datasets")),
                channel=str(t.get("channel", "")),
                encryption_in_transit=str(t.get("encryption_in_transit", "none")),
            )
            for t in _list(spec.get("transfers"))
        ),
    )
