"""The graph document (ARCHITECTURE.md §2, a contract): frozen models, canonical JSON, content hash.

A ``GraphSpec`` is what the canvas draws, the server stores per version and the SDK builds.
Structural checks that need no catalogue (unique node ids) happen here; everything that needs the
catalogue is in ``validate.py``. The canonical form sorts nodes by id and edges by target port
(stable, so the order of edges into a ``many`` input is kept) and is what the content hash and
round-trip comparisons use.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

SCHEMA_VERSION = 1
NODE_ID_PATTERN = r"^[A-Za-z_][A-Za-z0-9_\-]{0,63}$"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Position(_Frozen):
    x: float = 0.0
    y: float = 0.0


class NodeSpec(_Frozen):
    id: str = Field(pattern=NODE_ID_PATTERN)
    component: str = Field(min_length=1, max_length=200)
    version: int = Field(ge=1)
    params: dict[str, Any] = Field(default_factory=dict)
    label: str | None = Field(default=None, max_length=200)
    position: Position = Field(default_factory=Position)


class EdgeSpec(_Frozen):
    source: str
    source_port: str
    target: str
    target_port: str


class GraphSpec(_Frozen):
    schema_version: int = SCHEMA_VERSION
    nodes: tuple[NodeSpec, ...] = ()
    edges: tuple[EdgeSpec, ...] = ()

    @field_validator("schema_version")
    @classmethod
    def _known_schema(cls, value: int) -> int:
        if value != SCHEMA_VERSION:
            raise ValueError(f"schema_version {value} is not supported; this server reads 1")
        return value

    @field_validator("nodes")
    @classmethod
    def _unique_ids(cls, nodes: tuple[NodeSpec, ...]) -> tuple[NodeSpec, ...]:
        seen: set[str] = set()
        dupes = sorted({n.id for n in nodes if n.id in seen or seen.add(n.id)})  # type: ignore[func-returns-value]
        if dupes:
            raise ValueError(f"node ids must be unique; repeated: {', '.join(dupes)}")
        return nodes

    # construction ------------------------------------------------------------------------
    @classmethod
    def from_json(cls, data: str | bytes | dict[str, Any]) -> GraphSpec:
        """Parse a document (a JSON string or an already-decoded dict)."""
        if isinstance(data, (str, bytes)):
            return cls.model_validate_json(data)
        return cls.model_validate(data)

    # views -------------------------------------------------------------------------------
    def node(self, node_id: str) -> NodeSpec | None:
        return self.node_map().get(node_id)

    def node_map(self) -> dict[str, NodeSpec]:
        return {n.id: n for n in self.nodes}

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def canonical(self) -> GraphSpec:
        """Same graph, nodes sorted by id, edges by (target, target_port), keeping edge order
        within one port."""
        return self.model_copy(
            update={
                "nodes": tuple(sorted(self.nodes, key=lambda n: n.id)),
                "edges": tuple(sorted(self.edges, key=lambda e: (e.target, e.target_port))),
            }
        )

    def canonical_json(self) -> str:
        """Deterministic JSON text: canonical order, sorted keys, no whitespace."""
        return json.dumps(
            self.canonical().to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )

    def content_hash(self) -> str:
        """sha256 of the canonical JSON: equal for graphs that differ only in listing order."""
        return hashlib.sha256(self.canonical_json().encode()).hexdigest()
