"""Stack several tables on top of each other (rows of the first, then the second, ...)."""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd

from components.sdk import ColumnInfo, Context, Params, Table, TableSchema, component


class ConcatRowsParams(Params):
    ignore_index: bool = True
    join: Literal["outer", "inner"] = "outer"


def _kind(kinds: list[str], everywhere: bool) -> str:
    """The kind pandas gives a stacked column (``everywhere``: no table lacks it)."""
    if len(set(kinds)) == 1 and (everywhere or kinds[0] in ("float", "str", "datetime")):
        return kinds[0]
    return "float" if set(kinds) <= {"int", "float"} else "str"  # else object dtype


def _schema(inputs: dict[str, Any], params: ConcatRowsParams) -> dict[str, TableSchema | None]:
    found = inputs.get("tables")
    schemas = list(found) if isinstance(found, list | tuple) else [found]
    if not schemas or any(s is None for s in schemas):
        return {"table": None}
    names = list(dict.fromkeys(n for s in schemas for n in s.names))
    if params.join == "inner":
        names = [n for n in names if all(s.get(n) for s in schemas)]
    cols = []
    for name in names:
        kinds = [c.kind for s in schemas if (c := s.get(name)) is not None]
        cols.append(ColumnInfo(name, _kind(kinds, len(kinds) == len(schemas))))
    return {"table": TableSchema(tuple(cols))}


@component(
    id="preprocessing.concat_rows",
    category="Preprocessing",
    title="Concatenate rows",
    tags=("union", "append", "stack"),
    schema=_schema,
    ports={"tables": "Tables to stack, in the order of their edges"},
)
def concat_rows(tables: list[Table], params: ConcatRowsParams, ctx: Context) -> Table:
    """Stack tables row-wise; columns missing from a table are filled with missing values.

    ``join="inner"`` keeps only the columns every table has; ``ignore_index`` renumbers rows.
    """
    if not tables:
        raise ValueError("connect at least one table to 'tables'")
    out = pd.concat(list(tables), ignore_index=params.ignore_index, join=params.join)
    ctx.log(f"stacked {len(tables)} table(s) into {len(out)} row(s)")
    return out
