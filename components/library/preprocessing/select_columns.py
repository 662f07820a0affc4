"""Keep only the chosen columns of a table, in the chosen order."""

from __future__ import annotations

from components.library.preprocessing._columns import require
from components.sdk import Context, Params, Table, TableSchema, columns, component


class SelectColumnsParams(Params):
    columns: list[str] = columns("table", description="Columns to keep, in output order")


def _schema(
    inputs: dict[str, TableSchema | None], params: SelectColumnsParams
) -> dict[str, TableSchema | None]:
    schema = inputs.get("table")
    return {"table": None if schema is None else schema.select(params.columns)}


@component(
    id="preprocessing.select_columns",
    category="Preprocessing",
    title="Select columns",
    tags=("columns", "subset"),
    schema=_schema,
    example={"columns": ["f1", "f0", "target"]},
)
def select_columns(table: Table, params: SelectColumnsParams, ctx: Context) -> Table:
    """Keep only the chosen columns, in the order they are listed."""
    if not params.columns:
        raise ValueError("pick at least one column to keep in 'columns'")
    if len(set(params.columns)) != len(params.columns):
        raise ValueError("'columns' lists a column twice; list each column once")
    require(table, params.columns, "columns")
    ctx.log(f"kept {len(params.columns)} of {table.shape[1]} column(s)")
    return table[params.columns].copy()
