"""What the column-wise scalers share: the column/exclude params, outputs, schema and fitting.

Used by ``standard_scaler`` and ``min_max_scaler`` (and any later scaler of the same shape).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from components.library.preprocessing._columns import NUMERIC, pick, require
from components.sdk import (
    Context,
    FittedTransformer,
    Params,
    Table,
    TableSchema,
    Transformer,
    columns as column_list,  # a field named 'columns' would shadow the helper
    schema_of,
)


class ScalingParams(Params):
    columns: list[str] = column_list(
        "table", numeric=True, description="Columns to scale; empty = every numeric column"
    )
    exclude: list[str] = column_list(
        "table", description="Columns never scaled, even when picked (e.g. the target)"
    )


class ScalerOut(NamedTuple):
    table: Table
    transformer: Transformer


SCALER_PORTS = {"transformer": "The fitted scaler, to apply the same scaling to other tables"}


def scaled_schema(
    inputs: dict[str, TableSchema | None], params: ScalingParams
) -> dict[str, TableSchema | None]:
    """The input schema with the scaled columns turned into floats."""
    schema = inputs.get("table")
    if schema is None:
        return {"table": None}
    scaled = pick(schema, params.columns, params.exclude, NUMERIC)
    return {"table": schema.with_kind(scaled, "float")}


def fit_scaler(
    table: Any, params: ScalingParams, scaler: Any, *, kind: str, ctx: Context, note: str = ""
) -> ScalerOut:
    """Fit ``scaler`` on the picked numeric columns; return the scaled table and the scaler."""
    require(table, params.columns + params.exclude, "columns/exclude")
    cols = pick(schema_of(table), params.columns, params.exclude, NUMERIC)
    if not cols:
        raise ValueError("no numeric columns to scale; pick columns or shorten 'exclude'")
    scaler.fit(table[cols])
    fitted = FittedTransformer(scaler, tuple(cols), kind=kind)
    ctx.log(f"scaled {len(cols)} column(s){note}")
    return ScalerOut(fitted.transform(table), fitted)
