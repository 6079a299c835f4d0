"""The contract's integrity rules: cross-references a JSON Schema cannot express.

Runs only on documents that passed the schema, so every required field is present and
has its declared type; it still reads optional fields with defaults.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from checker.errors import InputError, SourceSpan
from checker.loader.document import Document, JsonPath, json_path_text
from checker.validate.schema import Problem, did_you_mean, input_errors, name_list

_NAME_PATH: JsonPath = ("metadata", "name")


@dataclass(frozen=True, slots=True)
class _Declared:
    """An id and where it is written (the element itself when the id is defaulted)."""

    id: str
    path: JsonPath
    defaulted: bool = False


@dataclass(frozen=True, slots=True)
class _Stage:
    index: int
    id: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]


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

    for i, stage in enumerate(stages):
        base: JsonPath = ("spec", "stages", i)
        problems.extend(
            _reference(base + ("location",), stage["location"], location_ids, "location")
        )
        for field in ("inputs", "outputs"):
            for j, name in enumerate(stage.get(field, ())):
                problems.extend(_reference(base + (field, j), name, dataset_ids, "dataset"))

    for i, transfer in enumerate(transfers):
        base = ("spec", "transfers", i)
        for field in ("from", "to"):
            problems.extend(_reference(base + (field,), transfer[field], location_ids, "location"))
        for j, name in enumerate(transfer["datasets"]):
            problems.extend(_reference(base + ("datasets", j), name, dataset_ids, "dataset"))
        if transfer["from"] == transfer["to"]:
            message = (
                f"transfer from {transfer['from']!r} to itself: "
                "'from' and 'to' must name different locations"
            )
            problems.append(Problem(base + ("to",), message, "transfer-self"))

    graph_stages = tuple(
        _Stage(i, s["id"], tuple(s.get("inputs", ())), tuple(s.get("outputs", ())))
        for i, s in enumerate(stages)
    )
    problems.extend(_second_writers(doc, graph_stages))
    problems.extend(_cycles(graph_stages))
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


def _reference(
    path: JsonPath, name: str, known: Mapping[str, _Declared], what: str
) -> Iterator[Problem]:
    if name in known:
        return
    guess = did_you_mean(name, list(known))
    if guess:
        hint = f" (did you mean {guess!r}?)"
    elif known:
        hint = f" (declared {what}s: {name_list(list(known))})"
    else:
        hint = ""
    yield Problem(path, f"unknown {what} {name!r}{hint}", "reference")


def _second_writers(doc: Document, stages: Sequence[_Stage]) -> Iterator[Problem]:
    writer: dict[str, _Stage] = {}
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


def _cycles(stages: Sequence[_Stage]) -> Iterator[Problem]:
    """One problem per strongly connected component of the stage graph that has a cycle.

    Nodes are stage positions, not ids, so duplicate stage ids cannot merge stages.
    Each cycle is reported from its earliest stage along the shortest way back to it,
    which keeps the output deterministic and bounded (listing every elementary cycle
    could be exponential).
    """
    edges: dict[int, list[tuple[int, str]]] = {s.index: [] for s in stages}
    for source in stages:
        written = set(source.outputs)
        for target in stages:
            via = next((name for name in target.inputs if name in written), None)
            if via is not None:
                edges[source.index].append((target.index, via))

    ids = {s.index: s.id for s in stages}
    for component in _strongly_connected(edges):
        start = min(component)
        cycle = _shortest_cycle(start, component, edges)
        if cycle is None:
            continue  # a single stage that does not read its own output
        chain = " -> ".join(ids[i] for i in [start, *(node for node, _ in cycle)])
        via = ", ".join(repr(name) for _, name in cycle)
        message = f"cycle in the stage graph: stage {chain} (via datasets {via})"
        yield Problem(("spec", "stages", start), message, "cycle")


def _strongly_connected(edges: Mapping[int, Sequence[tuple[int, str]]]) -> list[set[int]]:
    """Kosaraju's algorithm, iterative so a long pipeline cannot hit the recursion limit."""
    order: list[int] = []
    seen: set[int] = set()
    for root in edges:
        if root in seen:
            continue
        seen.add(root)
        stack: list[tuple[int, Iterator[tuple[int, str]]]] = [(root, iter(edges[root]))]
        while stack:
            node, successors = stack[-1]
            for successor, _ in successors:
                if successor not in seen:
                    seen.add(successor)
                    stack.append((successor, iter(edges[successor])))
                    break
            else:
                stack.pop()
                order.append(node)

    reverse: dict[int, list[int]] = {node: [] for node in edges}
    for node, out_edges in edges.items():
        for successor, _ in out_edges:
            reverse[successor].append(node)

    components: list[set[int]] = []
    assigned: set[int] = set()
    for root in reversed(order):
        if root in assigned:
            continue
        component = {root}
        assigned.add(root)
        pending = [root]
        while pending:
            for predecessor in reverse[pending.pop()]:
                if predecessor not in assigned:
                    assigned.add(predecessor)
                    component.add(predecessor)
                    pending.append(predecessor)
        components.append(component)
    return components


def _shortest_cycle(
    start: int, component: set[int], edges: Mapping[int, Sequence[tuple[int, str]]]
) -> list[tuple[int, str]] | None:
    """Steps (next stage, dataset) from `start` back to itself, or None if there is none."""
    came_from: dict[int, tuple[int, str]] = {}
    queue: deque[int] = deque([start])
    while queue:
        node = queue.popleft()
        for successor, via in edges[node]:
            if successor == start:
                steps = [(start, via)]
                while node != start:
                    previous, previous_via = came_from[node]
                    steps.append((node, previous_via))
                    node = previous
                return steps[::-1]
            if successor in component and successor not in came_from:
                came_from[successor] = (node, via)
                queue.append(successor)
    return None


def _where(doc: Document, path: JsonPath) -> str:
    line, _ = doc.locate(path)
    return f"{json_path_text(path)} (line {line})"
