"""Our hand-rolled graph algorithms (designer/dag/topo.py) agree with networkx, the reference.

The engine does not use networkx on the hot path (building an nx.DiGraph alone costs more than
our whole 10,000-node validation), so networkx serves here as the oracle on random graphs.
"""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from designer.dag.topo import find_cycles, reachable, strongly_connected, topo_order


@st.composite
def digraphs(draw: st.DrawFn) -> tuple[list[str], dict[str, list[str]]]:
    n = draw(st.integers(1, 25))
    nodes = [f"n{i:02d}" for i in range(n)]
    pairs = draw(st.lists(st.tuples(st.sampled_from(nodes), st.sampled_from(nodes)), max_size=60))
    succ: dict[str, list[str]] = {v: [] for v in nodes}
    for a, b in pairs:
        succ[a].append(b)
    return nodes, succ


def _nx(nodes: list[str], succ: dict[str, list[str]]) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from((a, b) for a, outs in succ.items() for b in outs)
    return graph


@settings(max_examples=200, deadline=None)
@given(digraphs())
def test_topo_order_matches_networkx_lexicographic_sort(g: tuple[list[str], dict]) -> None:
    nodes, succ = g
    reference = _nx(nodes, succ)
    order, blocked = topo_order(nodes, succ)
    if nx.is_directed_acyclic_graph(reference):
        assert blocked == []
        assert order == list(nx.lexicographical_topological_sort(reference))
    else:
        assert blocked, "a graph with a cycle must leave nodes blocked"
        on_cycles = {v for c in nx.simple_cycles(reference) for v in c}
        assert on_cycles <= set(blocked)


@settings(max_examples=200, deadline=None)
@given(digraphs())
def test_cycles_and_components_match_networkx(g: tuple[list[str], dict]) -> None:
    nodes, succ = g
    reference = _nx(nodes, succ)
    ours = {frozenset(c) for c in strongly_connected(nodes, succ)}
    theirs = {frozenset(c) for c in nx.strongly_connected_components(reference)}
    assert {c for c in ours if len(c) > 1} == {c for c in theirs if len(c) > 1}
    _, blocked = topo_order(nodes, succ)
    for cycle in find_cycles(blocked, succ):
        hops = list(zip(cycle, cycle[1:] + cycle[:1], strict=True))
        assert all(reference.has_edge(a, b) for a, b in hops), cycle


@settings(max_examples=100, deadline=None)
@given(digraphs(), st.data())
def test_reachable_matches_networkx_descendants(g: tuple[list[str], dict], data: st.DataObject) -> None:
    nodes, succ = g
    start = data.draw(st.sampled_from(nodes))
    assert reachable([start], succ) == nx.descendants(_nx(nodes, succ), start) | {start}
