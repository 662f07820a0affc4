"""The compiler: a validated ``GraphSpec`` becomes an immutable ``ExecutionPlan``.

Deterministic: steps in topological order with the node id as tie-breaker (a heap-based Kahn),
params resolved with defaults filled in, cache keys from ``plan.cache_key_for`` chained through
upstream keys. Partial runs (``from_node`` / ``to_node``) select a sub-plan here, so every runner
shares one definition of "run from here". Raises ``GraphInvalid`` for graphs it cannot compile.
"""

from __future__ import annotations

from collections.abc import Iterable

from components.sdk.registry import Registry
from designer.dag.errors import GraphError
from designer.dag.index import gc_paused
from designer.dag.model import GraphSpec
from designer.dag.plan import ExecutionPlan, InputRef, Step, cache_key_for
from designer.dag.topo import reachable
from designer.dag.validate import Analysis, analyse

# Codes that make a plan impossible even when the caller skips validation (``validate=False``).
FATAL_CODES = frozenset({
    "unknown_component", "unknown_version", "dangling_edge", "unknown_port", "cycle",
    "unknown_param", "missing_param", "invalid_param",
})


class GraphInvalid(Exception):
    """The graph cannot be compiled; ``errors`` lists every problem (as ``validate_graph`` does)."""

    def __init__(self, errors: Iterable[GraphError]) -> None:
        self.errors: list[GraphError] = list(errors)
        shown = "; ".join(str(e) for e in self.errors[:3])
        more = f" (and {len(self.errors) - 3} more)" if len(self.errors) > 3 else ""
        super().__init__(f"the graph has {len(self.errors)} problem(s): {shown}{more}")


def compile_graph(
    graph: GraphSpec,
    registry: Registry,
    *,
    seed: int = 0,
    from_node: str | None = None,
    to_node: str | None = None,
    validate: bool = True,
) -> ExecutionPlan:
    """Compile ``graph`` into a plan.

    - ``to_node``: only that node and its ancestors.
    - ``from_node``: that node, its descendants and all their ancestors; ``force`` holds the node
      and its descendants (they execute even on a cache hit).
    - both: the nodes on paths from ``from_node`` to ``to_node`` (forced) plus their ancestors.
    - ``validate=False`` skips column checks and tolerates problems that do not block compiling
      (type mismatches, missing or extra inputs); use it only on graphs validated just before.
    """
    analysis = analyse(graph, registry, columns=validate)
    errors = analysis.errors if validate else [e for e in analysis.errors if e.code in FATAL_CODES]
    for name, node_id in (("from_node", from_node), ("to_node", to_node)):
        if node_id is not None and node_id not in analysis.index.nodes:
            errors.append(GraphError("unknown_node", f"{name} {node_id!r} is not a node of this "
                                     "graph; pick an existing node id", node=node_id))
    if errors:
        raise GraphInvalid(errors)
    with gc_paused():
        selected, force = _select(analysis, from_node, to_node)
        steps = _steps(analysis, selected, seed)
        children: dict[str, list[str]] = {s.step_id: [] for s in steps}
        for step in steps:
            for parent in step.parents:
                children[parent].append(step.step_id)
        return ExecutionPlan(
            steps=tuple(steps),
            graph_hash=graph.content_hash(),
            seed=seed,
            children={k: tuple(v) for k, v in children.items()},
            force=force,
        )


def _select(
    analysis: Analysis, from_node: str | None, to_node: str | None
) -> tuple[set[str], tuple[str, ...]]:
    index, order = analysis.index, analysis.order
    if from_node is None and to_node is None:
        return set(order), ()
    core = reachable([from_node], index.succ) if from_node is not None else None
    if to_node is not None:
        up = reachable([to_node], index.pred)
        core = up if core is None else core & up
    assert core is not None
    if not core:
        raise GraphInvalid([GraphError(
            "not_connected", f"node {to_node!r} is not downstream of {from_node!r}, so there is "
            "nothing to run between them; pick a to-node after the from-node", node=to_node)])
    selected = reachable(core, index.pred)
    force = tuple(n for n in order if n in core) if from_node is not None else ()
    return selected, force


def _steps(analysis: Analysis, selected: set[str], seed: int) -> list[Step]:
    index = analysis.index
    key_of: dict[str, str | None] = {}
    steps: list[Step] = []
    for node_id in analysis.order:
        if node_id not in selected:
            continue
        info = index.infos[node_id]
        assert info is not None, "validated graphs only have known components"
        spec, node = info.spec, index.nodes[node_id]
        params = analysis.params[node_id].model_dump(mode="json")
        inputs: dict[str, tuple[InputRef, ...]] = {}
        upstream: dict[str, list[str]] = {}  # port -> "<upstream key>:<port>" while all known
        known = spec.cacheable
        wired = index.sources[node_id]
        for port in info.inputs:
            edges = wired.get(port)
            if not edges:
                continue
            inputs[port] = tuple(InputRef(e.source, e.source_port) for e in edges)
            if known:
                keys = [key_of[e.source] for e in edges]
                known = None not in keys
                upstream[port] = [f"{k}:{e.source_port}" for k, e in zip(keys, edges, strict=True)]
        key = cache_key_for(
            component_id=spec.id,
            component_version=spec.version,
            params=params,
            inputs=upstream,
            seed=seed,
        ) if known else None
        key_of[node_id] = key
        steps.append(Step(
            step_id=node_id,
            component_id=spec.id,
            component_version=spec.version,
            params=params,
            inputs=inputs,
            outputs=tuple(info.outputs),
            queue=spec.resources,
            cache_key=key,
            cacheable=spec.cacheable,
            seed=seed,
            label=node.label,
        ))
    return steps
