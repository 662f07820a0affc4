"""Graph documents at the server's edge: size limits, parsing, and the save/run validation policy.

Pure functions over the graph engine (``designer.dag``); no ORM. Two policies:
- **save** (canvas autosave): reject what is broken (malformed, unknown component, cycle, wrong
  port types, invalid params...), but accept what is merely unfinished (a required input not yet
  connected, a required param not yet chosen, a column the upstream schema does not show yet).
- **run**: every problem blocks (``designer.runs.services`` compiles, which validates fully).
Both raise ``GraphRejected`` whose ``errors`` are ``GraphError.to_dict()`` dicts.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from designer.catalogue.selectors import component_registry
from designer.dag.validate import (
    analyse,
    normalize_graph,
    parse_graph,
    schemas_to_json,
    validate_graph,
)
from designer.errors import GraphRejected

if TYPE_CHECKING:
    from designer.dag.model import GraphSpec

MAX_NODES = 5_000
MAX_EDGES = 20_000
MAX_BYTES = 2 * 1024 * 1024

# Codes a work-in-progress graph may still have and be saved; everything else rejects the save.
SAVE_TOLERATED_CODES = frozenset(
    {
        "missing_input",
        "missing_param",
        "unknown_column",
        "column_not_numeric",
        "not_connected",
        "unknown_node",
    }
)


def _problem(code: str, message: str) -> dict[str, Any]:
    return {"code": code, "message": message, "node": None, "port": None, "param": None,
            "edge": None}


def check_size(data: Any) -> None:
    """Refuse documents over the limits before any parsing work (nodes, edges, bytes)."""
    if isinstance(data, (str, bytes)):
        size = len(data)
    else:
        try:
            size = len(json.dumps(data, separators=(",", ":"), default=str))
        except (TypeError, ValueError) as exc:
            raise GraphRejected(
                "The graph is not JSON-serializable.", [_problem("malformed", str(exc))]
            ) from exc
    if size > MAX_BYTES:
        raise GraphRejected(
            f"The graph document is {size:,} bytes; the limit is {MAX_BYTES:,}. Split the "
            "workflow into smaller ones.",
            [_problem("too_large", f"document is {size:,} bytes (limit {MAX_BYTES:,})")],
            code="too_large",
        )
    if isinstance(data, dict):
        for key, limit in (("nodes", MAX_NODES), ("edges", MAX_EDGES)):
            items = data.get(key)
            if isinstance(items, list) and len(items) > limit:
                raise GraphRejected(
                    f"The graph has {len(items):,} {key}; the limit is {limit:,}. Split the "
                    "workflow into smaller ones.",
                    [_problem("too_large", f"{len(items):,} {key} (limit {limit:,})")],
                    code="too_large",
                )


def parse_document(data: Any) -> GraphSpec:
    """A ``GraphSpec`` from a decoded document (dict) or JSON text, or ``GraphRejected``."""
    check_size(data)
    graph, errors = parse_graph(data)
    if graph is None or errors:
        raise GraphRejected(
            "The graph document is malformed; fix the listed problems.",
            [e.to_dict() for e in errors],
        )
    return graph


def graph_errors(graph: GraphSpec) -> list[dict[str, Any]]:
    """Every problem of a parsed graph against the catalogue, as dicts."""
    return [e.to_dict() for e in validate_graph(graph, component_registry())]


def prepare_for_save(data: Any) -> GraphSpec:
    """The normalized graph to store, or ``GraphRejected`` if it is broken (not just unfinished)."""
    graph = parse_document(data)
    blocking = [e for e in graph_errors(graph) if e["code"] not in SAVE_TOLERATED_CODES]
    if blocking:
        raise GraphRejected(
            f"The graph has {len(blocking)} problem(s) that prevent saving; fix them on the "
            "nodes listed in `errors`.",
            blocking,
        )
    return normalize_graph(graph, component_registry())


def validation_report(data: Any) -> dict[str, Any]:
    """``{valid, errors, schemas}`` for any document, broken or not (the validate endpoint)."""
    try:
        graph = parse_document(data)
    except GraphRejected as rejected:
        return {"valid": False, "errors": rejected.errors, "schemas": {}}
    analysis = analyse(graph, component_registry())  # one pass: problems and schemas
    errors = [e.to_dict() for e in analysis.errors]
    return {"valid": not errors, "errors": errors,
            "schemas": schemas_to_json(analysis.schemas)}
