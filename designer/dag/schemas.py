"""Table schemas known before a run: propagated through the graph, and the column-param checks.

Components that declare ``schema=fn`` get ``fn(inputs, params)`` where ``inputs`` maps each input
port to the upstream ``TableSchema`` or None (unknown). For a ``many`` port the schema is passed
only when every edge into it carries the same known schema, otherwise None. A schema function that
raises, or returns something that is not a ``TableSchema``, makes that output unknown: schema
inference never breaks validation.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel

from components.sdk.registry import Registry
from components.sdk.schema import ColumnInfo, TableSchema
from designer.dag.errors import GraphError
from designer.dag.index import GraphIndex, gc_paused
from designer.dag.model import GraphSpec
from designer.dag.params_check import check_params
from designer.dag.topo import topo_order

Schemas = dict[str, dict[str, TableSchema | None]]  # node id -> port -> schema (None = unknown)


def infer_schemas(graph: GraphSpec, registry: Registry) -> Schemas:
    """Output table schema of every node: ``{node_id: {output_port: TableSchema | None}}``.

    Nodes with an unknown component map to ``{}``; nodes on or after a cycle, or with invalid
    params, map every output to None.
    """
    with gc_paused():
        index = GraphIndex.build(graph, registry)
        order, _ = topo_order(index.nodes, index.succ)
        params: dict[str, BaseModel] = {}
        for node_id, info in index.infos.items():
            if info is not None:
                model, raw = info.spec.params_model, index.nodes[node_id].params
                instance, _ = check_params(node_id, model, raw)
                if instance is not None:
                    params[node_id] = instance
        outputs, _ = propagate(index, order, params)
    return outputs


def schemas_to_json(schemas: Schemas) -> dict[str, dict[str, list[dict[str, str]] | None]]:
    """The result of ``infer_schemas`` as JSON (for the canvas's column pickers)."""
    return {
        node: {port: None if s is None else s.to_json() for port, s in ports.items()}
        for node, ports in schemas.items()
    }


def propagate(
    index: GraphIndex, order: list[str], params: dict[str, BaseModel]
) -> tuple[Schemas, Schemas]:
    """Walk ``order`` (topological); return (output schemas, input schemas) per node."""
    outputs: Schemas = {}
    inputs: Schemas = {}
    for node_id, info in index.infos.items():  # defaults for unknown / blocked nodes
        outputs[node_id] = {} if info is None else dict.fromkeys(info.outputs)
    for node_id in order:
        info = index.infos[node_id]
        if info is None:
            continue
        ins = {port: _input_schema(index, outputs, node_id, port) for port in info.inputs}
        inputs[node_id] = ins
        fn = info.spec.schema_fn
        instance = params.get(node_id)
        if fn is None or instance is None:
            continue
        try:
            got = fn(ins, instance)
        except Exception:  # a buggy schema function makes the schema unknown, nothing more
            continue
        if isinstance(got, dict):
            outputs[node_id] = {
                p: got.get(p) if isinstance(got.get(p), TableSchema) else None
                for p in info.outputs
            }
    return outputs, inputs


def _input_schema(
    index: GraphIndex, outputs: Schemas, node_id: str, port: str
) -> TableSchema | None:
    found = [outputs[e.source].get(e.source_port) for e in index.edges_into(node_id, port)]
    if not found or found[0] is None:
        return None
    first = found[0]
    return first if all(s == first for s in found[1:]) else None


def column_errors(
    index: GraphIndex, inputs: Schemas, params: dict[str, BaseModel]
) -> list[GraphError]:
    """``unknown_column`` / ``column_not_numeric`` for column params whose table schema is known."""
    errors: list[GraphError] = []
    for node_id, ins in inputs.items():
        info = index.infos[node_id]
        instance = params.get(node_id)
        if info is None or instance is None or not info.column_params:
            continue
        for pname, meta in info.column_params.items():
            schema = ins.get(meta["port"])
            if schema is None:
                continue
            value = getattr(instance, pname)
            errors.extend(_check_column_param(node_id, pname, meta, schema, value))
    return errors


def _check_column_param(
    node_id: str, pname: str, meta: dict[str, Any], schema: TableSchema, value: Any
) -> list[GraphError]:
    names = [value] if isinstance(value, str) else [v for v in (value or ()) if isinstance(v, str)]
    by_name: dict[str, ColumnInfo] = {c.name: c for c in schema.columns}
    port = meta["port"]
    out: list[GraphError] = []
    missing = [n for n in names if n not in by_name]
    if missing:
        close = {m: difflib.get_close_matches(m, list(by_name), n=1) for m in missing}
        hints = [f"{m!r} (did you mean {c[0]!r}?)" if c else repr(m) for m, c in close.items()]
        noun = "column" if len(missing) == 1 else "columns"
        verb = "is" if len(missing) == 1 else "are"
        out.append(GraphError(
            "unknown_column",
            f"{noun} {', '.join(hints)} {verb} not in the table on input {port!r}; "
            f"available: {_listing(list(by_name))}",
            node=node_id, param=pname,
        ))
    if meta.get("numeric"):
        bad = [f"{n!r} ({c.kind})" for n in names if (c := by_name.get(n)) and not c.numeric]
        if bad:
            numeric = [c.name for c in schema.columns if c.numeric]
            verb = "is" if len(bad) == 1 else "are"
            out.append(GraphError(
                "column_not_numeric",
                f"column {', '.join(bad)} {verb} not numeric, but this parameter needs numeric "
                "columns; "
                f"numeric columns on input {port!r}: {_listing(numeric) or 'none'}",
                node=node_id, param=pname,
            ))
    return out


def _listing(names: list[str], limit: int = 20) -> str:
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f", … ({len(names)} in all)"
