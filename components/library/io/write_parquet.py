"""Write a table as a Parquet file into the run's data folder."""

from __future__ import annotations

from components.library.io._files import open_output, path_field
from components.sdk import Context, Params, Table, Text, component


class WriteParquetParams(Params):
    path: str = path_field("out/result.parquet")


@component(
    id="io.write_parquet",
    category="Input/output",
    title="Write Parquet",
    tags=("parquet", "file", "save", "export"),
    cacheable=False,
    ports={"text": "The path written, relative to the data folder"},
    example={"path": "out/example.parquet"},
)
def write_parquet(table: Table, params: WriteParquetParams, ctx: Context) -> Text:
    """Write the table as Parquet (column types kept, no index) into the data folder; overwrites."""
    rel, handle = open_output(ctx, params.path)
    with handle:
        table.to_parquet(handle, index=False)
    ctx.log(f"wrote {len(table)} row(s) to {rel}")
    return rel
