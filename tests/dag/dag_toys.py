"""Tiny components in a private registry, plus graph builders, for the graph-engine tests.

They never run; they only give validation, schema inference and compilation something known to
check against, independent of the real catalogue (which other people change in parallel).
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

from pydantic import Field

from components.sdk import (
    Model,
    Params,
    Registry,
    Table,
    TableSchema,
    column,
    columns,
    component,
)
from designer.dag.model import GraphSpec

TOY = Registry()
SOURCE_SCHEMA = TableSchema.of([("a", "float"), ("b", "int"), ("name", "str"), ("y", "int")])


class SourceParams(Params):
    rows: int = Field(10, ge=1)


class PickParams(Params):
    col: str = column("table")
    mode: Literal["keep", "drop"] = "keep"


class ScaleParams(Params):
    cols: list[str] = columns("table", numeric=True)
    factor: float = Field(1.0, gt=0)


class FitParams(Params):
    target: str = column("table")


class ReadParams(Params):
    path: str = "data.csv"


class SplitOut(NamedTuple):
    train: Table
    test: Table


def _source_schema(inputs: dict[str, Any], params: SourceParams) -> dict[str, Any]:
    return {"table": SOURCE_SCHEMA}


def _pick_schema(inputs: dict[str, Any], params: PickParams) -> dict[str, Any]:
    schema = inputs["table"]
    if schema is None:
        return {"table": None}
    keep = params.mode == "keep"
    return {"table": schema.select([params.col]) if keep else schema.drop([params.col])}


def _scale_schema(inputs: dict[str, Any], params: ScaleParams) -> dict[str, Any]:
    schema = inputs["table"]
    return {"table": None if schema is None else schema.with_kind(params.cols, "float")}


def _concat_schema(inputs: dict[str, Any], params: Params) -> dict[str, Any]:
    return {"table": inputs["tables"]}


def _split_schema(inputs: dict[str, Any], params: Params) -> dict[str, Any]:
    return {"train": inputs["table"], "test": inputs["table"]}


def _broken_schema(inputs: dict[str, Any], params: Params) -> dict[str, Any]:
    raise RuntimeError("this schema function is broken on purpose")


@component(id="toy.source", category="Toy", schema=_source_schema, registry=TOY)
def source(params: SourceParams) -> Table:
    """A table with columns a (float), b (int), name (str), y (int)."""
    raise NotImplementedError


def _source_v2() -> Any:
    def source(params: SourceParams) -> Table:
        """Version 2 of the source (same schema)."""
        raise NotImplementedError

    return source


component(id="toy.source", version=2, category="Toy", schema=_source_schema, registry=TOY)(
    _source_v2()
)


@component(id="toy.pick", category="Toy", schema=_pick_schema, registry=TOY)
def pick(table: Table, params: PickParams) -> Table:
    """Keep or drop one column."""
    raise NotImplementedError


@component(id="toy.scale", category="Toy", schema=_scale_schema, registry=TOY)
def scale(table: Table, params: ScaleParams) -> Table:
    """Scale numeric columns."""
    raise NotImplementedError


@component(id="toy.split", category="Toy", schema=_split_schema, registry=TOY)
def split(table: Table) -> SplitOut:
    """Split a table in two."""
    raise NotImplementedError


@component(id="toy.fit", category="Toy", registry=TOY)
def fit(table: Table, params: FitParams) -> Model:
    """Fit a model on a table."""
    raise NotImplementedError


@component(id="toy.gpu_fit", category="Toy", resources="gpu", registry=TOY)
def gpu_fit(table: Table) -> Model:
    """Fit a model on a GPU."""
    raise NotImplementedError


@component(id="toy.predict", category="Toy", registry=TOY)
def predict(model: Model, table: Table) -> Table:
    """Apply a model to a table."""
    raise NotImplementedError


@component(id="toy.concat", category="Toy", schema=_concat_schema, registry=TOY)
def concat(tables: list[Table]) -> Table:
    """Stack tables."""
    raise NotImplementedError


@component(id="toy.join", category="Toy", registry=TOY)
def join(left: Table, right: Table | None) -> Table:
    """Join an optional right table onto the left one."""
    raise NotImplementedError


@component(id="toy.read", category="Toy", cacheable=False, deterministic=False, registry=TOY)
def read(params: ReadParams) -> Table:
    """Read a file (not cacheable)."""
    raise NotImplementedError


@component(id="toy.broken", category="Toy", schema=_broken_schema, registry=TOY)
def broken(table: Table) -> Table:
    """Its schema function raises."""
    raise NotImplementedError


def node(node_id: str, comp: str, version: int = 1, **params: Any) -> dict[str, Any]:
    return {"id": node_id, "component": comp, "version": version, "params": params}


def edge(source: str, source_port: str, target: str, target_port: str) -> dict[str, str]:
    return {"source": source, "source_port": source_port, "target": target,
            "target_port": target_port}


def graph(nodes: list[dict[str, Any]], edges: list[dict[str, str]] | None = None) -> GraphSpec:
    return GraphSpec.model_validate({"nodes": nodes, "edges": edges or []})
