"""Graph algorithms on plain adjacency maps: deterministic topological order, cycles, reachability.

Everything is iterative (no recursion limit) and linear or n·log n, so 10,000-node graphs take
milliseconds. Adjacency maps are ``{node: [successor, ...]}`` with one entry per edge.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Iterable, Mapping, Sequence


def topo_order(
    nodes: Iterable[str], succ: Mapping[str, Sequence[str]]
) -> tuple[list[str], list[str]]:
    """Kahn's algorithm with a heap: among ready nodes the smallest id goes first.

    Returns ``(order, blocked)``: ``blocked`` are the nodes on or downstream of a cycle, which
    never become ready (empty for a DAG).
    """
    indeg = dict.fromkeys(nodes, 0)
    for outs in succ.values():
        for m in outs:
            indeg[m] += 1
    heap = [n for n, d in indeg.items() if d == 0]
    heapq.heapify(heap)
    order: list[str] = []
    while heap:
        n = heapq.heappop(heap)
        order.append(n)
        for m in succ.get(n, ()):
            indeg[m] -= 1
            if indeg[m] == 0:
                heapq.heappush(heap, m)
    blocked = sorted(n for n, d in indeg.items() if d > 0)
    return order, blocked


def strongly_connected(
    nodes: Sequence[str], succ: Mapping[str, Sequence[str]]
) -> list[list[str]]:
    """Tarjan's algorithm, iteratively, over ``nodes`` only (successors outside are ignored)."""
    inside = set(nodes)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(succ.get(root, ())))]
        while work:
            v, it = work[-1]
            for w in it:
                if w not in inside:
                    continue
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(succ.get(w, ()))))
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[v])
                if low[v] == index[v]:
                    component: list[str] = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        component.append(w)
                        if w == v:
                            break
                    found.append(component)
    return found


def find_cycles(blocked: Sequence[str], succ: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """One concrete cycle per strongly connected component with a cycle, as the node ids along
    it (starting at the smallest id, not repeating it at the end), sorted by that first id."""
    cycles: list[list[str]] = []
    for comp in strongly_connected(blocked, succ):
        members = set(comp)
        start = min(comp)
        if len(comp) == 1 and start not in succ.get(start, ()):
            continue  # downstream of a cycle, not on one
        cycles.append(_shortest_cycle(start, members, succ))
    return sorted(cycles, key=lambda c: c[0])


def _shortest_cycle(start: str, members: set[str], succ: Mapping[str, Sequence[str]]) -> list[str]:
    parent: dict[str, str] = {}
    queue = deque([start])
    while queue:
        v = queue.popleft()
        for w in sorted(set(succ.get(v, ()))):
            if w == start:
                path = [v]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                return path[::-1]
            if w in members and w not in parent:
                parent[w] = v
                queue.append(w)
    raise AssertionError(f"{start!r} is in a strongly connected component but on no cycle")


def reachable(starts: Iterable[str], adj: Mapping[str, Sequence[str]]) -> set[str]:
    """Every node reachable from ``starts`` along ``adj`` (the starts included)."""
    seen = set(starts)
    todo = list(seen)
    while todo:
        for w in adj.get(todo.pop(), ()):
            if w not in seen:
                seen.add(w)
                todo.append(w)
    return seen
