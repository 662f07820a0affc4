"""Lookup tables built once per graph for validation, schema inference and compilation.

``GraphIndex`` resolves every node's component once per distinct (id, version), and groups edges
by target port and by node, so every later check is a dictionary lookup (no O(n²) scans).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from components.sdk.params import column_params
from components.sdk.registry import Registry
from components.sdk.spec import ComponentSpec, PortSpec
from designer.dag.model import EdgeSpec, GraphSpec, NodeSpec


@dataclass(frozen=True)
class SpecInfo:
    """Per-component data the graph engine needs, computed once per (id, version) per call."""

    spec: ComponentSpec
    inputs: dict[str, PortSpec]
    outputs: dict[str, PortSpec]
    column_params: dict[str, dict[str, Any]]  # param -> {"port", "multiple", "numeric"}

    @classmethod
    def of(cls, spec: ComponentSpec) -> SpecInfo:
        return cls(
            spec=spec,
            inputs={p.name: p for p in spec.inputs},
            outputs={p.name: p for p in spec.outputs},
            column_params=column_params(spec.params_model),
        )


@dataclass
class GraphIndex:
    """Nodes by id, their resolved components, and edges grouped for fast checks.

    ``in_edges[node][port]`` lists the indices of edges into that port (graph order), whether or
    not the source exists; ``sources[node][port]`` the edges into it whose source exists.
    ``succ``/``pred`` hold one entry per edge between existing nodes.
    """

    graph: GraphSpec
    registry: Registry
    nodes: dict[str, NodeSpec] = field(default_factory=dict)
    infos: dict[str, SpecInfo | None] = field(default_factory=dict)
    in_edges: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    sources: dict[str, dict[str, list[EdgeSpec]]] = field(default_factory=dict)
    succ: dict[str, list[str]] = field(default_factory=dict)
    pred: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, graph: GraphSpec, registry: Registry) -> GraphIndex:
        index = cls(graph=graph, registry=registry)
        cache: dict[tuple[str, int], SpecInfo | None] = {}
        for node in graph.nodes:
            index.nodes[node.id] = node
            key = (node.component, node.version)
            if key not in cache:
                spec = registry.find(node.component, node.version)
                cache[key] = None if spec is None else SpecInfo.of(spec)
            index.infos[node.id] = cache[key]
            index.succ[node.id] = []
            index.pred[node.id] = []
            index.in_edges[node.id] = {}
            index.sources[node.id] = {}
        for i, edge in enumerate(graph.edges):
            if edge.target in index.nodes:
                index.in_edges[edge.target].setdefault(edge.target_port, []).append(i)
                if edge.source in index.nodes:
                    index.sources[edge.target].setdefault(edge.target_port, []).append(edge)
                    index.succ[edge.source].append(edge.target)
                    index.pred[edge.target].append(edge.source)
        return index

    @property
    def edges(self) -> tuple[EdgeSpec, ...]:
        return self.graph.edges

    def edges_into(self, node_id: str, port: str) -> list[EdgeSpec]:
        """Edges into ``port`` of ``node_id`` whose source node exists, in graph order."""
        return self.sources[node_id].get(port, [])


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building per-graph tables.

    Validation allocates a few small containers per node and creates no reference cycles; in a
    process with pandas and scikit-learn loaded, the collector's full passes triggered by those
    allocations took about a third of the time on 10,000-node graphs. Nested use is safe.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
