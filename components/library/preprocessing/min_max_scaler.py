"""Rescale numeric columns linearly into a range, by default [0, 1]."""

from __future__ import annotations

from typing import NamedTuple

from pydantic import model_validator

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


class MinMaxScalerParams(Params):
    columns: list[str] = column_list(
        "table", numeric=True, description="Columns to scale; empty = every numeric column"
    )
    exclude: list[str] = column_list(
        "table", description="Columns never scaled, even when picked (e.g. the target)"
    )
    feature_min: float = 0.0
    feature_max: float = 1.0
    clip: bool = False

    @model_validator(mode="after")
    def _range(self) -> MinMaxScalerParams:
        if self.feature_min >= self.feature_max:
            raise ValueError("feature_min must be smaller than feature_max")
        return self


class MinMaxScalerOut(NamedTuple):
    table: Table
    transformer: Transformer


def _schema(
    inputs: dict[str, TableSchema | None], params: MinMaxScalerParams
) -> dict[str, TableSchema | None]:
    schema = inputs.get("table")
    if schema is None:
        return {"table": None}
    scaled = pick(schema, params.columns, params.exclude, NUMERIC)
    return {"table": schema.with_kind(scaled, "float")}


@component(
    id="preprocessing.min_max_scaler",
    category="Preprocessing",
    title="Min-max scaler",
    tags=("scaling", "normalize"),
    schema=_schema,
    ports={"transformer": "The fitted scaler, to apply the same scaling to other tables"},
)
def min_max_scaler(table: Table, params: MinMaxScalerParams, ctx: Context) -> MinMaxScalerOut:
    """Rescale numeric columns linearly so the training minimum and maximum map to a range.

    ``clip`` keeps values of later tables (via ``preprocessing.apply_transformer``) inside it.
    """
    from sklearn.preprocessing import MinMaxScaler

    require(table, params.columns + params.exclude, "columns/exclude")
    cols = pick(schema_of(table), params.columns, params.exclude, NUMERIC)
    if not cols:
        raise ValueError("no numeric columns to scale; pick columns or shorten 'exclude'")
    scaler = MinMaxScaler(feature_range=(params.feature_min, params.feature_max), clip=params.clip)
    scaler.fit(table[cols])
    fitted = FittedTransformer(scaler, tuple(cols), kind="min-max scaler")
    ctx.log(f"scaled {len(cols)} column(s) into [{params.feature_min}, {params.feature_max}]")
    return MinMaxScalerOut(fitted.transform(table), fitted)
