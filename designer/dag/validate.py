"""Graph validation: parse a document and report every problem at once, each pinned to a node,
port, param or edge, with a stable code and a message that says how to fix it.

``check_graph`` = ``parse_graph`` (structure, no catalogue) + ``validate_graph`` (catalogue:
components, ports, types, cycles, params, columns). Nothing here raises for a bad graph; only
programmer errors raise. ``normalize_graph`` drops params equal to their defaults, so documents
store only what the user changed.
"""

from __future__ import annotations

import difflib
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import to_jsonable_python

from components.sdk.registry import Registry
from components.sdk.types import can_connect
from designer.dag.errors import CODES, GraphError, sort_errors
from designer.dag.index import GraphIndex, SpecInfo, gc_paused
from designer.dag.model import EdgeSpec, GraphSpec
from designer.dag.params_check import check_params, describe
from designer.dag.schemas import (
    Schemas,
    column_errors,
    infer_schemas,
    propagate,
    schemas_to_json,
)
from designer.dag.topo import find_cycles, topo_order

__all__ = [
    "CODES",
    "Analysis",
    "GraphError",
    "analyse",
    "check_graph",
    "infer_schemas",
    "normalize_graph",
    "parse_graph",
    "schemas_to_json",
    "validate_graph",
]


# parsing -----------------------------------------------------------------------------------
def parse_graph(data: dict[str, Any] | str | bytes) -> tuple[GraphSpec | None, list[GraphError]]:
    """Structural parse of a document. Returns ``(graph, [])`` or ``(None, errors)``."""
    if isinstance(data, (str, bytes, bytearray)):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            return None, [GraphError("malformed_json", f"the document is not valid JSON: "
                                     f"{exc.msg} at line {exc.lineno}, column {exc.colno}")]
        except UnicodeDecodeError as exc:
            return None, [GraphError("malformed_json", f"the document is not UTF-8 text: {exc}")]
    if not isinstance(data, dict):
        return None, [GraphError("malformed", "a graph document must be a JSON object with "
                                 f"'nodes' and 'edges', not {type(data).__name__}")]
    errors = _duplicate_ids(data)
    try:
        return GraphSpec.model_validate(data), []
    except ValidationError as exc:
        for err in exc.errors():
            if errors and tuple(err["loc"]) == ("nodes",) and err["type"] == "value_error":
                continue  # the model's own duplicate-id check, already reported per id
            errors.append(_structural_error(data, err))
    return None, sort_errors(errors)


def _duplicate_ids(data: dict[str, Any]) -> list[GraphError]:
    nodes = data.get("nodes")
    if not isinstance(nodes, list):
        return []
    counts = Counter(n["id"] for n in nodes if isinstance(n, dict) and isinstance(n.get("id"), str))
    return [
        GraphError("duplicate_node", f"node id {nid!r} is used by {count} nodes; give each node "
                   "its own id", node=nid)
        for nid, count in sorted(counts.items()) if count > 1
    ]


def _structural_error(data: dict[str, Any], err: Any) -> GraphError:
    loc = tuple(err["loc"])
    node = edge = None
    if len(loc) >= 2 and loc[0] == "nodes" and isinstance(loc[1], int):
        raw_nodes = data.get("nodes")
        raw = raw_nodes[loc[1]] if isinstance(raw_nodes, (list, tuple)) else None
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            node = raw["id"]
    elif len(loc) >= 2 and loc[0] == "edges" and isinstance(loc[1], int):
        edge = loc[1]
    return GraphError("malformed", describe(loc, err, "document"), node=node, edge=edge)


# validation --------------------------------------------------------------------------------
@dataclass
class Analysis:
    """Everything validation learnt, reused by the compiler (no second pass over params)."""

    index: GraphIndex
    order: list[str]  # topological, ties by node id; excludes ``blocked``
    blocked: list[str]  # nodes on or downstream of a cycle
    params: dict[str, BaseModel]  # node id -> validated params (valid nodes only)
    errors: list[GraphError]  # sorted
    # output table schemas, what ``infer_schemas`` gives (empty with ``columns=False``)
    schemas: Schemas = field(default_factory=dict)


def validate_graph(graph: GraphSpec, registry: Registry) -> list[GraphError]:
    """Every problem of ``graph`` against the catalogue, sorted by node id then code."""
    return analyse(graph, registry).errors


def check_graph(
    data: dict[str, Any] | str | bytes, registry: Registry
) -> tuple[GraphSpec | None, list[GraphError]]:
    """``parse_graph`` then ``validate_graph``."""
    graph, errors = parse_graph(data)
    if graph is None:
        return None, errors
    return graph, validate_graph(graph, registry)


def analyse(graph: GraphSpec, registry: Registry, *, columns: bool = True) -> Analysis:
    """Run every check once. ``columns=False`` skips schema inference and column checks."""
    with gc_paused():
        return _analyse(graph, registry, columns)


def _analyse(graph: GraphSpec, registry: Registry, columns: bool) -> Analysis:
    index = GraphIndex.build(graph, registry)
    errors = _component_errors(index) + _edge_errors(index) + _input_errors(index)
    order, blocked = topo_order(index.nodes, index.succ)
    for cycle in find_cycles(blocked, index.succ):
        path = " → ".join([*cycle, cycle[0]])
        errors.append(GraphError("cycle", f"these nodes form a cycle: {path}; remove one of the "
                                 "edges between them", node=cycle[0]))
    params: dict[str, BaseModel] = {}
    for node_id, info in index.infos.items():
        if info is None:
            continue
        instance, param_errors = check_params(node_id, info.spec.params_model,
                                              index.nodes[node_id].params)
        errors.extend(param_errors)
        if instance is not None:
            params[node_id] = instance
    schemas: Schemas = {}
    if columns:
        schemas, inputs = propagate(index, order, params)
        errors.extend(column_errors(index, inputs, params))
    return Analysis(index, order, blocked, params, sort_errors(errors), schemas)


def _component_errors(index: GraphIndex) -> list[GraphError]:
    registry = index.registry
    messages: dict[tuple[str, int], tuple[str, str]] = {}
    errors: list[GraphError] = []
    for node_id, info in index.infos.items():
        if info is not None:
            continue
        node = index.nodes[node_id]
        key = (node.component, node.version)
        if key not in messages:
            messages[key] = _unknown_component_message(registry, *key)
        code, message = messages[key]
        errors.append(GraphError(code, message, node=node_id))
    return errors


def _unknown_component_message(registry: Registry, cid: str, version: int) -> tuple[str, str]:
    known = registry.versions(cid)
    if known:
        return "unknown_version", (f"component {cid!r} has no version {version}; known versions: "
                                   f"{', '.join(map(str, known))}. Pick one of them")
    ids = sorted({s.id for s in registry.latest()})
    close = difflib.get_close_matches(cid, ids, n=3, cutoff=0.6)
    if not close:  # maybe only the part after the dot was typed
        by_name = {i.split(".", 1)[-1]: i for i in ids}
        close = [by_name[n] for n in difflib.get_close_matches(cid.split(".")[-1], list(by_name))]
    hint = f"did you mean {', '.join(map(repr, close))}?" if close else "see the component palette"
    return "unknown_component", f"unknown component {cid!r}; {hint}"


def _edge_text(edge: EdgeSpec) -> str:
    return f"{edge.source}.{edge.source_port} → {edge.target}.{edge.target_port}"


def _ports_hint(names: list[str], wanted: str, kind: str) -> str:
    close = difflib.get_close_matches(wanted, names, n=1)
    if close:
        return f"did you mean {close[0]!r}?"
    return f"its {kind}s: {', '.join(names)}" if names else f"it has no {kind}s"


def _edge_errors(index: GraphIndex) -> list[GraphError]:
    errors: list[GraphError] = []
    nodes, infos = index.nodes, index.infos
    for i, edge in enumerate(index.edges):
        if edge.source not in nodes or edge.target not in nodes:
            errors.extend(_dangling(i, edge, nodes))
        src, dst = infos.get(edge.source), infos.get(edge.target)
        out_port = in_port = None
        if src is not None:
            out_port = src.outputs.get(edge.source_port)
            if out_port is None:
                errors.append(_unknown_port(i, edge.source, edge.source_port, src, "output"))
        if dst is not None:
            in_port = dst.inputs.get(edge.target_port)
            if in_port is None:
                errors.append(_unknown_port(i, edge.target, edge.target_port, dst, "input"))
        if out_port and in_port and not can_connect(out_port.type, in_port.type):
            errors.append(GraphError(
                "incompatible_types", f"output {edge.source_port!r} of {edge.source!r} is a "
                f"{out_port.type} but input {edge.target_port!r} of {edge.target!r} takes a "
                f"{in_port.type}; connect a {in_port.type} output instead",
                node=edge.target, port=edge.target_port, edge=i))
    return errors


def _dangling(i: int, edge: EdgeSpec, nodes: dict[str, Any]) -> list[GraphError]:
    return [
        GraphError("dangling_edge", f"edge {i} ({_edge_text(edge)}) {side} node {nid!r}, which "
                   "does not exist; delete the edge or add the node", node=nid, port=port, edge=i)
        for nid, port, side in ((edge.source, edge.source_port, "comes from"),
                                (edge.target, edge.target_port, "goes to"))
        if nid not in nodes
    ]


def _unknown_port(i: int, node_id: str, port: str, info: SpecInfo, kind: str) -> GraphError:
    names = list(info.outputs if kind == "output" else info.inputs)
    return GraphError("unknown_port", f"node {node_id!r} ({info.spec.id}) has no {kind} {port!r}; "
                      f"{_ports_hint(names, port, kind)}", node=node_id, port=port, edge=i)


def _input_errors(index: GraphIndex) -> list[GraphError]:
    errors: list[GraphError] = []
    for node_id, info in index.infos.items():
        if info is None:
            continue
        wired = index.in_edges[node_id]
        for port in info.inputs.values():
            edges = wired.get(port.name, ())
            if not edges and not port.optional:
                errors.append(GraphError(
                    "missing_input", f"input {port.name!r} ({port.type}) of node {node_id!r} "
                    f"needs an edge; connect a {port.type} output to it", node=node_id,
                    port=port.name))
            elif len(edges) > 1 and not port.many:
                listed = ", ".join(map(str, edges))
                errors.append(GraphError(
                    "too_many_edges", f"input {port.name!r} of node {node_id!r} takes one edge "
                    f"but has {len(edges)} (edges {listed}); remove all but one",
                    node=node_id, port=port.name, edge=edges[1]))
    return errors


# normalisation -----------------------------------------------------------------------------
def normalize_graph(graph: GraphSpec, registry: Registry) -> GraphSpec:
    """The same graph with params equal to their component's default removed.

    Unknown components and unknown params are left untouched; values are compared as JSON, so
    ``1`` for a float default ``1.0`` is kept.
    """
    defaults: dict[tuple[str, int], dict[str, str]] = {}
    nodes = []
    changed = False
    for node in graph.nodes:
        key = (node.component, node.version)
        if key not in defaults:
            spec = registry.find(*key)
            defaults[key] = {} if spec is None else {
                k: _json_text(to_jsonable_python(v)) for k, v in spec.param_defaults().items()
            }
        known = defaults[key]
        kept = {k: v for k, v in node.params.items() if k not in known or _json_text(v) != known[k]}
        if len(kept) != len(node.params):
            changed = True
            node = node.model_copy(update={"params": kept})
        nodes.append(node)
    return graph.model_copy(update={"nodes": tuple(nodes)}) if changed else graph


def _json_text(value: Any) -> str:
    try:
        return json.dumps(value, sort_keys=True, separators=(",", ":"))
    except (TypeError, ValueError):
        return f"<not json: {value!r}>"
