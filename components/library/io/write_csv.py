"""Write a table as a CSV file into the run's data folder."""

from __future__ import annotations

from pydantic import Field

from components.library.io._files import open_output, path_field
from components.sdk import Context, Params, Table, Text, component


class WriteCsvParams(Params):
    path: str = path_field("out/result.csv")
    sep: str = Field(",", min_length=1, max_length=5, description="Field separator")


@component(
    id="io.write_csv",
    category="Input/output",
    title="Write CSV",
    tags=("csv", "file", "save", "export"),
    cacheable=False,
    ports={"text": "The path written, relative to the data folder"},
    example={"path": "out/example.csv"},
)
def write_csv(table: Table, params: WriteCsvParams, ctx: Context) -> Text:
    """Write the table as CSV (header line, no index) into the data folder; overwrites."""
    rel, handle = open_output(ctx, params.path)
    with handle:
        table.to_csv(handle, sep=params.sep, index=False)
    ctx.log(f"wrote {len(table)} row(s) to {rel}")
    return rel
