"""``GraphError``: one problem found in a graph document, pinned to a node, port, param or edge.

This is what crosses from the graph engine to the server (a 400 with per-node errors) and the
canvas (a red badge on the node). ``code`` is a stable machine string; ``message`` says how to
fix it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

# Every code validation and compilation can produce (a closed list; the canvas keys off it).
CODES = (
    "malformed_json",
    "malformed",
    "duplicate_node",
    "unknown_component",
    "unknown_version",
    "dangling_edge",
    "unknown_port",
    "incompatible_types",
    "too_many_edges",
    "missing_input",
    "cycle",
    "unknown_param",
    "missing_param",
    "invalid_param",
    "unknown_column",
    "column_not_numeric",
    "unknown_node",
    "not_connected",
)


@dataclass(frozen=True)
class GraphError:
    """One problem. ``edge`` is an index into ``graph.edges``; ``node``/``port``/``param`` locate
    it on the canvas. Any of them may be None when the problem is not about that thing."""

    code: str
    message: str
    node: str | None = None
    port: str | None = None
    param: str | None = None
    edge: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def sort_key(self) -> tuple[Any, ...]:
        """Deterministic order: by node id, then code, then the finer locations."""
        return (
            self.node is None,
            self.node or "",
            self.code,
            self.port or "",
            self.param or "",
            -1 if self.edge is None else self.edge,
            self.message,
        )

    def __str__(self) -> str:
        where = [f"{k}={v!r}" for k, v in (("node", self.node), ("port", self.port),
                 ("param", self.param), ("edge", self.edge)) if v is not None]
        return f"[{self.code}] {self.message}" + (f" ({', '.join(where)})" if where else "")


def sort_errors(errors: list[GraphError]) -> list[GraphError]:
    return sorted(errors, key=GraphError.sort_key)
