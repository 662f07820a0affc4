"""Remove the chosen columns from a table."""

from __future__ import annotations

from components.library.preprocessing._columns import require
from components.sdk import Context, Params, Table, TableSchema, columns, component


class DropColumnsParams(Params):
    columns: list[str] = columns("table", description="Columns to remove")


def _schema(
    inputs: dict[str, TableSchema | None], params: DropColumnsParams
) -> dict[str, TableSchema | None]:
    schema = inputs.get("table")
    return {"table": None if schema is None else schema.drop(params.columns)}


@component(
    id="preprocessing.drop_columns",
    category="Preprocessing",
    title="Drop columns",
    tags=("columns", "subset"),
    schema=_schema,
    example={"columns": ["cat", "prediction"]},
)
def drop_columns(table: Table, params: DropColumnsParams, ctx: Context) -> Table:
    """Remove the chosen columns; every other column keeps its place."""
    require(table, params.columns, "columns")
    ctx.log(f"dropped {len(set(params.columns))} column(s)")
    return table.drop(columns=params.columns)
