"""Standardize numeric columns to zero mean and unit variance."""

from __future__ import annotations

from typing import NamedTuple

from components.library.preprocessing._columns import NUMERIC, pick, require
from components.sdk import (
    Context,
    FittedTransformer,
    Params,
    Table,
    TableSchema,
    Transformer,
    columns as column_list,  # a field named 'columns' would shadow the helper
    component,
    schema_of,
)


class StandardScalerParams(Params):
    columns: list[str] = column_list(
        "table", numeric=True, description="Columns to scale; empty = every numeric column"
    )
    with_mean: bool = True
    with_std: bool = True
    exclude: list[str] = column_list(
        "table", description="Columns never scaled, even when picked (e.g. the target)"
    )


class StandardScalerOut(NamedTuple):
    table: Table
    transformer: Transformer


def _schema(
    inputs: dict[str, TableSchema | None], params: StandardScalerParams
) -> dict[str, TableSchema | None]:
    schema = inputs.get("table")
    if schema is None:
        return {"table": None}
    scaled = pick(schema, params.columns, params.exclude, NUMERIC)
    return {"table": schema.with_kind(scaled, "float")}


@component(
    id="preprocessing.standard_scaler",
    category="Preprocessing",
    title="Standard scaler",
    tags=("scaling", "normalize"),
    schema=_schema,
    ports={"transformer": "The fitted scaler, to apply the same scaling to other tables"},
)
def standard_scaler(
    table: Table, params: StandardScalerParams, ctx: Context
) -> StandardScalerOut:
    """Standardize numeric columns to zero mean and unit variance.

    Fits on the input table and outputs the scaled table plus the fitted scaler, so test data
    can be scaled with the training statistics (``preprocessing.apply_transformer``).
    """
    from sklearn.preprocessing import StandardScaler

    require(table, params.columns + params.exclude, "columns/exclude")
    cols = pick(schema_of(table), params.columns, params.exclude, NUMERIC)
    if not cols:
        raise ValueError("no numeric columns to scale; pick columns or shorten 'exclude'")
    scaler = StandardScaler(with_mean=params.with_mean, with_std=params.with_std)
    scaler.fit(table[cols])
    fitted = FittedTransformer(scaler, tuple(cols), kind="standard scaler")
    ctx.log(f"scaled {len(cols)} column(s)")
    return StandardScalerOut(fitted.transform(table), fitted)
