"""Replace text columns with one 0/1 column per category (scikit-learn's OneHotEncoder)."""

from __future__ import annotations

from typing import Literal, NamedTuple

from components.library.preprocessing._columns import TEXT, pick, require
from components.sdk import (
    Context,
    FittedTransformer,
    Params,
    Table,
    Transformer,
    columns as column_list,  # a field named 'columns' would shadow the helper
    component,
    schema_of,
)


class OneHotEncoderParams(Params):
    columns: list[str] = column_list(
        "table", description="Columns to encode; empty = every text or category column"
    )
    exclude: list[str] = column_list("table", description="Columns never encoded")
    drop: Literal["none", "first", "if_binary"] = "none"


class OneHotEncoderOut(NamedTuple):
    table: Table
    transformer: Transformer


@component(
    id="preprocessing.one_hot_encoder",
    category="Preprocessing",
    title="One-hot encoder",
    tags=("encoding", "categorical", "dummies"),
    ports={"transformer": "The fitted encoder, to encode other tables with the same columns"},
)
def one_hot_encoder(table: Table, params: OneHotEncoderParams, ctx: Context) -> OneHotEncoderOut:
    """Replace each chosen column by 0/1 columns named ``<column>_<value>``, appended at the end.

    Categories are learned from this table; values unseen here encode as all zeros when the
    transformer is applied to other tables. ``drop`` removes one column per feature.
    """
    import numpy as np
    from sklearn.preprocessing import OneHotEncoder

    require(table, params.columns + params.exclude, "columns/exclude")
    cols = pick(schema_of(table), params.columns, params.exclude, TEXT)
    if not cols:
        raise ValueError("the table has no text or category columns; pick columns to encode")
    encoder = OneHotEncoder(
        handle_unknown="ignore",
        drop=None if params.drop == "none" else params.drop,
        sparse_output=False,
        dtype=np.int64,
    )
    encoder.fit(table[cols])
    names = tuple(str(n) for n in encoder.get_feature_names_out(cols))
    clash = sorted(set(names) & (set(map(str, table.columns)) - set(cols)))
    if clash:
        raise ValueError(f"encoded column names {clash} already exist; rename or drop those first")
    fitted = FittedTransformer(encoder, tuple(cols), kind="one-hot encoder", output_columns=names)
    ctx.log(f"encoded {len(cols)} column(s) into {len(names)} column(s)")
    return OneHotEncoderOut(fitted.transform(table), fitted)
