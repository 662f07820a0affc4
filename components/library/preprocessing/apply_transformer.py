"""Apply a fitted transformer (scaler, encoder, filler) to another table."""

from __future__ import annotations

from components.sdk import Context, FittedTransformer, Table, Transformer, component


@component(
    id="preprocessing.apply_transformer",
    category="Preprocessing",
    title="Apply transformer",
    tags=("transform", "scaling", "encoding"),
    ports={
        "transformer": "A fitted transformer from a scaler, encoder or filler",
        "table": "The table to transform; it needs the columns the transformer was fitted on",
    },
)
def apply_transformer(transformer: Transformer, table: Table, ctx: Context) -> Table:
    """Transform a table with statistics learned elsewhere (e.g. scale test data like train)."""
    if not isinstance(transformer, FittedTransformer):
        raise TypeError(
            f"expected a fitted transformer, got {type(transformer).__name__}; connect the "
            "'transformer' output of a scaler, encoder or filler"
        )
    ctx.log(f"applied {transformer.kind} to {len(transformer.columns)} column(s)")
    return transformer.transform(table)
