"""Tiny components in a private registry and a hand-made plan builder, for the worker tests.

``CALLS`` counts executions per component so tests can tell a cache hit from a run. ``load`` is
importable, so the process-pool runner can rebuild this registry in its children.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, NamedTuple

import pandas as pd
from pydantic import Field

from components.sdk import (
    ComponentSpec,
    Context,
    Metrics,
    Params,
    Registry,
    Table,
    Text,
    component,
)
from designer.dag.plan import ExecutionPlan, InputRef, Step, cache_key_for

TOYS = Registry()
CALLS: Counter[str] = Counter()


def load() -> Registry:
    return TOYS


class NumbersParams(Params):
    n: int = Field(5, ge=1)
    offset: float = 0.0


@component(id="toy.numbers", category="Toys", registry=TOYS)
def numbers(params: NumbersParams, ctx: Context) -> Table:
    """A table with one float column ``x`` = offset, offset + 1, ..."""
    CALLS["numbers"] += 1
    ctx.log(f"making {params.n} rows")
    return pd.DataFrame({"x": [params.offset + i for i in range(params.n)]})


class AddParams(Params):
    amount: float = 1.0


@component(id="toy.add", category="Toys", registry=TOYS)
def add(table: Table, params: AddParams, ctx: Context) -> Table:
    """Add ``amount`` to column ``x``."""
    CALLS["add"] += 1
    ctx.log(f"adding {params.amount}")
    ctx.progress(1, 1, "done")
    return table.assign(x=table["x"] + params.amount)


class MergeOut(NamedTuple):
    table: Table
    report: Text


@component(id="toy.merge", category="Toys", registry=TOYS)
def merge(left: Table, right: Table) -> MergeOut:
    """Stack two tables; report their row counts."""
    CALLS["merge"] += 1
    out = pd.concat([left, right], ignore_index=True)
    return MergeOut(out, f"{len(left)}+{len(right)}")


@component(id="toy.stack", category="Toys", registry=TOYS)
def stack(tables: list[Table]) -> Table:
    """Stack any number of tables."""
    CALLS["stack"] += 1
    return pd.concat(tables, ignore_index=True)


@component(id="toy.stats", category="Toys", registry=TOYS)
def stats(table: Table) -> Metrics:
    """Row count and sum of ``x``."""
    CALLS["stats"] += 1
    return {"rows": len(table), "total": float(table["x"].sum())}


@component(id="toy.boom", category="Toys", registry=TOYS)
def boom(table: Table) -> Table:
    """Always fails."""
    CALLS["boom"] += 1
    raise ValueError("boom: the toy failed on purpose")


@component(id="toy.wrong", category="Toys", registry=TOYS)
def wrong(table: Table) -> Table:
    """Returns a string where a table is declared."""
    return "not a table"  # type: ignore[return-value]


class SlowParams(Params):
    steps: int = 50


@component(id="toy.slow", category="Toys", registry=TOYS)
def slow(table: Table, params: SlowParams, ctx: Context) -> Table:
    """Reports progress ``steps`` times (each report is a cancellation point)."""
    CALLS["slow"] += 1
    for i in range(params.steps):
        ctx.progress(i, params.steps, f"step {i}")
    return table


class ReadParams(Params):
    path: str = "numbers.csv"


@component(id="toy.read", category="Toys", cacheable=False, registry=TOYS)
def read(params: ReadParams, ctx: Context) -> Table:
    """Read a CSV from the data folder (not cacheable: the file may change)."""
    CALLS["read"] += 1
    with ctx.open_file(params.path) as fh:
        return pd.read_csv(fh)


# plans ------------------------------------------------------------------------------------------
Node = tuple[str, str, dict[str, Any], dict[str, Any]]


def node(
    step_id: str, component_id: str, params: dict[str, Any] | None = None, **inputs: Any
) -> Node:
    """One step: ``inputs`` map port -> "step" / "step.port" (or a list of them for many ports)."""
    return (step_id, component_id, params or {}, inputs)


def _ref(text: str, spec_of: dict[str, ComponentSpec]) -> InputRef:
    step_id, _, port = text.partition(".")
    return InputRef(step_id, port or spec_of[step_id].outputs[0].name)


def build_plan(
    registry: Registry, *nodes: Node, seed: int = 0, force: tuple[str, ...] = ()
) -> ExecutionPlan:
    """A plan like the compiler's (nodes given in topological order; chained compile-time keys)."""
    spec_of: dict[str, ComponentSpec] = {}
    key_of: dict[str, str | None] = {}
    children: dict[str, list[str]] = {}
    steps: list[Step] = []
    for step_id, cid, raw_params, raw_inputs in nodes:
        spec = registry.get(cid)
        spec_of[step_id] = spec
        params = spec.params_model.model_validate(raw_params).model_dump(mode="json")
        inputs = {
            port: tuple(_ref(t, spec_of) for t in (v if isinstance(v, list) else [v]))
            for port, v in raw_inputs.items()
        }
        keys = {p: [(key_of[r.step_id], r.port) for r in refs] for p, refs in inputs.items()}
        known = all(k is not None for refs in keys.values() for k, _ in refs)
        key = cache_key_for(
            component_id=spec.id,
            component_version=spec.version,
            params=params,
            inputs={p: [f"{k}:{port}" for k, port in refs] for p, refs in keys.items()},
            seed=seed,
        ) if spec.cacheable and known else None
        key_of[step_id] = key
        children[step_id] = []
        step = Step(step_id, spec.id, spec.version, params, inputs,
                    tuple(p.name for p in spec.outputs), spec.resources, key, spec.cacheable, seed)
        for parent in step.parents:
            children[parent].append(step_id)
        steps.append(step)
    return ExecutionPlan(
        tuple(steps), graph_hash="test", seed=seed,
        children={k: tuple(v) for k, v in children.items()}, force=force,
    )
