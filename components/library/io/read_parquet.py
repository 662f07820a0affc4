"""Read a Parquet file from the run's data folder into a table."""

from __future__ import annotations

from components.library.io._files import open_input, path_field
from components.sdk import Context, Params, Table, component


class ReadParquetParams(Params):
    path: str = path_field("data.parquet")


@component(
    id="io.read_parquet",
    category="Input/output",
    title="Read Parquet",
    tags=("parquet", "file", "load"),
    cacheable=False,
    example={"path": "example.parquet"},
)
def read_parquet(params: ReadParquetParams, ctx: Context) -> Table:
    """Read a Parquet file from the run's data folder; column types are kept."""
    import pandas as pd

    with open_input(ctx, params.path) as handle:
        table = pd.read_parquet(handle)
    ctx.log(f"read {len(table)} row(s), {table.shape[1]} column(s) from {params.path}")
    return table
