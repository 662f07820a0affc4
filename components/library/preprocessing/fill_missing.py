"""Fill missing values per column with a statistic learned by scikit-learn's SimpleImputer."""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

import pandas as pd
from pydantic import Field

from components.library.preprocessing._columns import NUMERIC, TEXT, pick, require
from components.sdk import (
    Context,
    FittedTransformer,
    Params,
    Table,
    Transformer,
    columns as column_list,  # a field named 'columns' would shadow the helper
    component,
    schema_of,
)


class FillMissingParams(Params):
    strategy: Literal["mean", "median", "most_frequent", "constant"] = "mean"
    fill_value: str | float | int | None = Field(
        None, description="For 'constant'; empty = 0 for numbers, 'missing_value' for text"
    )
    columns: list[str] = column_list("table", description="Columns to fill; empty = see below")
    exclude: list[str] = column_list("table", description="Columns never filled (e.g. the target)")


class FillMissingOut(NamedTuple):
    table: Table
    transformer: Transformer


class ColumnFiller:
    """The fitted fill value of each column; ``transform`` keeps every column's dtype."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def transform(self, df: pd.DataFrame) -> pd.DataFrame:
        return df.fillna(self.values)


def _kinds(params: FillMissingParams) -> tuple[str, ...] | None:
    if params.strategy in ("mean", "median"):
        return NUMERIC
    if params.strategy == "constant" and params.fill_value is not None:
        return TEXT if isinstance(params.fill_value, str) else NUMERIC
    return None  # every column


def _fit(series: pd.Series, params: FillMissingParams) -> Any:
    from sklearn.impute import SimpleImputer

    imputer = SimpleImputer(
        strategy=params.strategy, fill_value=params.fill_value, keep_empty_features=True
    )
    try:
        value = imputer.fit(series.to_frame()).statistics_[0]
    except ValueError as exc:
        raise ValueError(f"cannot fill column {series.name!r} this way: {exc}") from exc
    return value.item() if hasattr(value, "item") else value


@component(
    id="preprocessing.fill_missing",
    category="Preprocessing",
    title="Fill missing values",
    tags=("impute", "missing", "clean"),
    schema=lambda inputs, params: {"table": inputs.get("table")},
    ports={"transformer": "The fitted fill values, to fill other tables the same way"},
)
def fill_missing(table: Table, params: FillMissingParams, ctx: Context) -> FillMissingOut:
    """Fill missing values with each column's mean, median, most frequent value or a constant.

    Default columns: numeric ones for mean/median, all for most_frequent, and for constant
    those matching ``fill_value``'s type (text or number). Column dtypes are kept.
    """
    require(table, params.columns + params.exclude, "columns/exclude")
    cols = pick(schema_of(table), params.columns, params.exclude, _kinds(params))
    if not cols:
        ctx.warning("no column matches this strategy/fill_value; nothing is filled")
    values = {c: _fit(table[c], params) for c in cols}
    fitted = FittedTransformer(
        ColumnFiller(values), tuple(cols), kind="missing-value filler", info={"values": values}
    )
    ctx.log(f"filled {int(table[cols].isna().sum().sum())} missing value(s) in {len(cols)} columns")
    return FillMissingOut(fitted.transform(table), fitted)
