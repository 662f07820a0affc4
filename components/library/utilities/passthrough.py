"""Pass a table through unchanged: a junction point on the canvas."""

from __future__ import annotations

from components.sdk import Table, TableSchema, component


def _schema(
    inputs: dict[str, TableSchema | None], params: object
) -> dict[str, TableSchema | None]:
    return {"table": inputs.get("table")}


@component(
    id="utilities.passthrough",
    category="Utilities",
    title="Pass through",
    tags=("junction", "reroute", "no-op"),
    schema=_schema,
    ports={"table": "A table; the output is the same table, unchanged"},
)
def passthrough(table: Table) -> Table:
    """Pass a table through unchanged (a junction point to tidy up edges on the canvas).

    Costs only the read and write of the table; its output is cached like any other step.
    """
    return table
