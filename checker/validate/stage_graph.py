"""The stage graph's cycles: "stage A writes a dataset stage B reads", found in linear time.

Part of the integrity rules (integrity.py): a cycle makes lineage undefined, so a manifest
with one is an input error, reported from its earliest stage.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from checker.validate.schema import Problem


@dataclass(frozen=True, slots=True)
class StageNode:
    """A stage by its position in `spec.stages`, with the datasets it reads and writes."""

    index: int
    id: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]


def cycles(stages: Sequence[StageNode]) -> Iterator[Problem]:
    """One problem per strongly connected component of the stage graph that has a cycle.

    The graph is bipartite: a stage points at the datasets it writes, a dataset at the
    stages that read it. It has one edge per input and output, where a stage-to-stage
    graph has one per writer and reader pair: millions for a hostile manifest in which
    thousands of stages write one dataset that thousands read (it took gigabytes).
    Stage nodes are positions, not ids, so duplicate stage ids cannot merge stages.
    Each cycle is reported from its earliest stage along the shortest way back to it,
    which keeps the output deterministic and bounded (listing every elementary cycle
    could be exponential).
    """
    count = len(stages)
    node_of: dict[str, int] = {}
    for stage in stages:
        for name in (*stage.outputs, *stage.inputs):
            node_of.setdefault(name, count + len(node_of))
    edges: dict[int, list[int]] = {node: [] for node in range(count + len(node_of))}
    for stage in stages:
        edges[stage.index].extend(dict.fromkeys(node_of[name] for name in stage.outputs))
        for name in dict.fromkeys(stage.inputs):
            edges[node_of[name]].append(stage.index)

    ids = {s.index: s.id for s in stages}
    names = {node: name for name, node in node_of.items()}
    for component in _strongly_connected(edges):
        if len(component) < 2:
            continue  # no node points at itself: a lone stage or dataset is no cycle
        start = min(component)  # stages are numbered before datasets
        cycle = _shortest_cycle(start, component, edges)
        if cycle is None:
            continue  # unreachable: two or more mutually reachable nodes make a cycle
        chain = " -> ".join(ids[node] for node in [*cycle[::2], start])
        via = ", ".join(repr(names[node]) for node in cycle[1::2])
        message = f"cycle in the stage graph: stage {chain} (via datasets {via})"
        yield Problem(("spec", "stages", start), message, "cycle")


def _strongly_connected(edges: Mapping[int, Sequence[int]]) -> list[set[int]]:
    """Kosaraju's algorithm, iterative so a long pipeline cannot hit the recursion limit."""
    order: list[int] = []
    seen: set[int] = set()
    for root in edges:
        if root in seen:
            continue
        seen.add(root)
        stack: list[tuple[int, Iterator[int]]] = [(root, iter(edges[root]))]
        while stack:
            node, successors = stack[-1]
            for successor in successors:
                if successor not in seen:
                    seen.add(successor)
                    stack.append((successor, iter(edges[successor])))
                    break
            else:
                stack.pop()
                order.append(node)

    reverse: dict[int, list[int]] = {node: [] for node in edges}
    for node, out_edges in edges.items():
        for successor in out_edges:
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
    start: int, component: set[int], edges: Mapping[int, Sequence[int]]
) -> list[int] | None:
    """The nodes from `start` round to it, alternating stage and dataset, start included once."""
    came_from: dict[int, int] = {}
    queue: deque[int] = deque([start])
    while queue:
        node = queue.popleft()
        for successor in edges[node]:
            if successor == start:
                path = [node]
                while node != start:
                    node = came_from[node]
                    path.append(node)
                return path[::-1]
            if successor in component and successor not in came_from:
                came_from[successor] = node
                queue.append(successor)
    return None
