"""The contract's integrity rules: cross-references a JSON Schema cannot express.

Runs only on documents that passed the schema, so every required field is present and
has its declared type; it still reads optional fields with defaults.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from checker.errors import InputError, SourceSpan
from checker.loader.document import Document, JsonPath, json_path_text
from checker.validate.cap import MAX_ERRORS_PER_FILE
from checker.validate.schema import Problem, did_you_mean, input_errors, name_list
from checker.validate.stage_graph import StageNode, cycles

_NAME_PATH: JsonPath = ("metadata", "name")
# difflib compares a dangling id with each declared one in about 12 us: past this many
# declared ids the suggestions for the shown errors alone would take seconds, so such
# (generated) manifests get the list of declared ids instead.
_MAX_SUGGESTION_CANDIDATES = 2_000


@dataclass(frozen=True, slots=True)
class _Declared:
    """An id and where it is written (the element itself when the id is defaulted)."""

    id: str
    path: JsonPath
    defaulted: bool = False


@dataclass(frozen=True, slots=True)
class _Reference:
    """A use of an id that names nothing declared: `what` is "dataset" or "location"."""

    path: JsonPath
    name: str
    what: str


def integrity_errors(doc: Document) -> tuple[InputError, ...]:
    """Every integrity-rule violation of a schema-valid manifest, in source order."""
    spec: Mapping[str, Any] = doc.value["spec"]
    datasets: Sequence[Mapping[str, Any]] = spec["datasets"]
    locations: Sequence[Mapping[str, Any]] = spec["locations"]
    stages: Sequence[Mapping[str, Any]] = spec["stages"]
    transfers: Sequence[Mapping[str, Any]] = spec.get("transfers", ())

    problems: list[Problem] = []
    dataset_ids = _unique(doc, "dataset", _declared("datasets", datasets), problems)
    location_ids = _unique(doc, "location", _declared("locations", locations), problems)
    _unique(doc, "stage", _declared("stages", stages), problems)
    _unique(doc, "transfer", _transfer_ids(transfers), problems)

    known = {"dataset": dataset_ids, "location": location_ids}
    uses: list[_Reference] = []
    for i, stage in enumerate(stages):
        base: JsonPath = ("spec", "stages", i)
        uses.append(_Reference(base + ("location",), stage["location"], "location"))
        for field in ("inputs", "outputs"):
            for j, name in enumerate(stage.get(field, ())):
                uses.append(_Reference(base + (field, j), name, "dataset"))

    for i, transfer in enumerate(transfers):
        base = ("spec", "transfers", i)
        uses.extend(_Reference(base + (f,), transfer[f], "location") for f in ("from", "to"))
        for j, name in enumerate(transfer["datasets"]):
            uses.append(_Reference(base + ("datasets", j), name, "dataset"))
        if transfer["from"] == transfer["to"]:
            message = (
                f"transfer from {transfer['from']!r} to itself: "
                "'from' and 'to' must name different locations"
            )
            problems.append(Problem(base + ("to",), message, "transfer-self"))
    dangling = [use for use in uses if use.name not in known[use.what]]
    problems.extend(_unknown_references(doc, dangling, known))

    graph_stages = tuple(
        StageNode(i, s["id"], tuple(s.get("inputs", ())), tuple(s.get("outputs", ())))
        for i, s in enumerate(stages)
    )
    problems.extend(_second_writers(doc, graph_stages))
    problems.extend(cycles(graph_stages))
    problems.extend(_dataset_declarations(datasets, graph_stages))
    return input_errors(doc, problems)


def duplicate_names(docs: Sequence[Document]) -> tuple[InputError, ...]:
    """`metadata.name` must be unique across a run: flag every use after the first.

    Documents without a string name (they failed the schema) are skipped; their schema
    error already says what is wrong.
    """
    first: dict[str, Document] = {}
    errors: list[InputError] = []
    for doc in docs:
        name = _deployment_name(doc)
        if name is None:
            continue
        earlier = first.setdefault(name, doc)
        if earlier is doc:
            continue
        earlier_line, _ = earlier.locate(_NAME_PATH)
        line, column = doc.locate(_NAME_PATH)
        message = (
            f"duplicate deployment name {name!r}: already used at {earlier.source}:{earlier_line}"
            " (metadata.name must be unique across a run)"
        )
        errors.append(InputError(SourceSpan(doc.source, line, column), message, "$.metadata.name"))
    return tuple(errors)


def _deployment_name(doc: Document) -> str | None:
    metadata = doc.value.get("metadata") if isinstance(doc.value, Mapping) else None
    name = metadata.get("name") if isinstance(metadata, Mapping) else None
    return name if isinstance(name, str) else None


def _declared(list_name: str, items: Sequence[Mapping[str, Any]]) -> list[_Declared]:
    return [_Declared(item["id"], ("spec", list_name, i, "id")) for i, item in enumerate(items)]


def _transfer_ids(transfers: Sequence[Mapping[str, Any]]) -> list[_Declared]:
    # The contract's default id is `<from>-><to>`: two undeclared-id transfers between
    # the same pair of locations therefore collide, which is what users must be told.
    out: list[_Declared] = []
    for i, transfer in enumerate(transfers):
        if "id" in transfer:
            out.append(_Declared(transfer["id"], ("spec", "transfers", i, "id")))
        else:
            default = f"{transfer['from']}->{transfer['to']}"
            out.append(_Declared(default, ("spec", "transfers", i), defaulted=True))
    return out


def _unique(
    doc: Document, what: str, declared: Sequence[_Declared], problems: list[Problem]
) -> dict[str, _Declared]:
    """First declaration of each id; later ones become problems."""
    first: dict[str, _Declared] = {}
    for item in declared:
        earlier = first.setdefault(item.id, item)
        if earlier is item:
            continue
        message = f"duplicate {what} id {item.id!r}"
        if item.defaulted:
            message += " (the default '<from>-><to>')"
        message += f": already used at {_where(doc, earlier.path)}"
        if item.defaulted or earlier.defaulted:
            message += "; give one of them an explicit id"
        problems.append(Problem(item.path, message, "unique-id"))
    return first


def _unknown_references(
    doc: Document,
    dangling: Sequence[_Reference],
    known: Mapping[str, Mapping[str, _Declared]],
) -> Iterator[Problem]:
    """One problem per dangling id, with a suggestion for those that can be shown.

    A suggestion compares the id with every declared one: for thousands of dangling ids
    among thousands of declared ones that is minutes of work for lines the per-file cap
    drops anyway. Only the first MAX_ERRORS_PER_FILE in source order (no other error
    can push a later one into the shown part) get one; the rest say just what is unknown.
    """
    by_position = sorted(range(len(dangling)), key=lambda i: doc.locate(dangling[i].path))
    shown = set(by_position[:MAX_ERRORS_PER_FILE])
    declared = {what: name_list(list(ids)) for what, ids in known.items() if ids}
    for i, use in enumerate(dangling):
        hint = ""
        if i in shown:
            candidates = known[use.what]
            few = len(candidates) <= _MAX_SUGGESTION_CANDIDATES
            guess = did_you_mean(use.name, candidates) if few else None
            if guess:
                hint = f" (did you mean {guess!r}?)"
            elif use.what in declared:
                hint = f" (declared {use.what}s: {declared[use.what]})"
        yield Problem(use.path, f"unknown {use.what} {use.name!r}{hint}", "reference")


def _second_writers(doc: Document, stages: Sequence[StageNode]) -> Iterator[Problem]:
    writer: dict[str, StageNode] = {}
    for stage in stages:
        for j, name in enumerate(stage.outputs):
            earlier = writer.setdefault(name, stage)
            # One stage listing an output twice is still one writer.
            if earlier is stage:
                continue
            message = (
                f"dataset {name!r} is already written by stage {earlier.id!r} "
                f"at {_where(doc, ('spec', 'stages', earlier.index))}; "
                "a dataset is written by at most one stage"
            )
            yield Problem(("spec", "stages", stage.index, "outputs", j), message, "one-writer")


def _dataset_declarations(
    datasets: Sequence[Mapping[str, Any]], stages: Sequence[StageNode]
) -> Iterator[Problem]:
    """What one dataset cannot declare: ITAR and EAR control together, and direct collection
    of data a stage writes (manifest-v1.md, integrity rules)."""
    written = {name: stage.id for stage in stages for name in stage.outputs}
    for i, dataset in enumerate(datasets):
        base: JsonPath = ("spec", "datasets", i)
        classes = list(dataset["classifications"])
        eccn = dataset.get("eccn")
        controlling = isinstance(eccn, str) and eccn.upper() != "EAR99"
        if "itar" in classes and ("ear" in classes or controlling):
            where: JsonPath = (
                base + ("classifications", classes.index("ear"))
                if "ear" in classes
                else base + ("eccn",)
            )
            control = "class ear" if "ear" in classes else f"eccn {eccn!r}"
            yield Problem(
                where,
                f"dataset {dataset['id']!r} declares both itar and EAR control ({control}): "
                "an item is on the USML or the CCL, not both (15 CFR 734.3(b)(1)(i)); "
                "declare the one that applies (derived data may carry both through lineage)",
                "export-control",
            )
        writer = written.get(dataset["id"])
        if dataset.get("collected_directly") is True and writer is not None:
            yield Problem(
                base + ("collected_directly",),
                f"dataset {dataset['id']!r} is written by stage {writer!r}, so it is not "
                "collected directly from the data subjects: collected_directly belongs only "
                "on a source dataset (one no stage writes)",
                "collected-directly",
            )


def _where(doc: Document, path: JsonPath) -> str:
    line, _ = doc.locate(path)
    return f"{json_path_text(path)} (line {line})"
