"""Read a CSV file from the run's data folder into a table."""

from __future__ import annotations

from pydantic import Field

from components.library.io._files import open_input, path_field
from components.sdk import Context, Params, Table, component


class ReadCsvParams(Params):
    path: str = path_field("data.csv")
    sep: str = Field(",", min_length=1, max_length=5, description="Field separator")


@component(
    id="io.read_csv",
    category="Input/output",
    title="Read CSV",
    tags=("csv", "file", "load"),
    cacheable=False,
    example={"path": "example.csv"},
)
def read_csv(params: ReadCsvParams, ctx: Context) -> Table:
    """Read a CSV file (first line = column names) from the run's data folder."""
    import pandas as pd

    with open_input(ctx, params.path) as handle:
        table = pd.read_csv(handle, sep=params.sep)
    ctx.log(f"read {len(table)} row(s), {table.shape[1]} column(s) from {params.path}")
    return table
