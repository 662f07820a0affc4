"""Keep the rows where one column satisfies a comparison (structured, never evaluated as code)."""

from __future__ import annotations

import operator
from typing import Any, Literal

import pandas as pd
from pydantic import Field

from components.library.preprocessing._columns import require
from components.sdk import Context, Params, Table, column, component
from components.sdk.schema import kind_of_dtype

Scalar = str | float | int | bool
COMPARE = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


class FilterRowsParams(Params):
    column: str = column("table", description="The column to test")
    op: Literal["==", "!=", "<", "<=", ">", ">=", "is_null", "not_null", "in"] = "=="
    value: Scalar | list[Scalar] | None = Field(
        None, description="Compared value; a list for 'in'; unused by is_null / not_null"
    )


def _coerce(series: pd.Series, value: Any) -> Any:
    """Convert ``value`` to the column's kind (text typed into a form for a number column...)."""
    kind = kind_of_dtype(series.dtype)
    if isinstance(value, str) and kind in ("int", "float"):
        try:
            return float(value)
        except ValueError:
            raise ValueError(
                f"column {series.name!r} is numeric; enter a number, not {value!r}"
            ) from None
    if isinstance(value, str) and kind == "bool" and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if kind == "str" and not isinstance(value, str):
        return str(value)
    return pd.Timestamp(value) if kind == "datetime" else value


def _mask(series: pd.Series, op: str, value: Any) -> pd.Series:
    if op in ("is_null", "not_null"):
        return series.isna() if op == "is_null" else series.notna()
    if value is None:
        raise ValueError(f"operator {op!r} needs a value; set 'value' (a list for 'in')")
    if op == "in":
        values = value if isinstance(value, list) else [value]
        return series.isin([_coerce(series, v) for v in values])
    if isinstance(value, list):
        raise ValueError(f"a list value only works with operator 'in', not {op!r}")
    try:
        result = COMPARE[op](series, _coerce(series, value))
    except TypeError as exc:
        raise ValueError(f"cannot compare column {series.name!r} with {value!r}: {exc}") from exc
    return result.fillna(op == "!=").astype(bool)  # nullable dtypes give NA for missing values


@component(
    id="preprocessing.filter_rows",
    category="Preprocessing",
    title="Filter rows",
    tags=("rows", "where", "subset"),
    schema=lambda inputs, params: {"table": inputs.get("table")},
    example={"column": "f0", "op": ">", "value": 0.0},
)
def filter_rows(table: Table, params: FilterRowsParams, ctx: Context) -> Table:
    """Keep the rows where ``column <op> value`` holds; the row index is kept.

    Missing values never satisfy ==, <, <=, >, >= or in, and always satisfy != (as in pandas).
    """
    require(table, [params.column], "column")
    kept = table[_mask(table[params.column], params.op, params.value)]
    ctx.log(f"kept {len(kept)} of {len(table)} row(s)")
    return kept
