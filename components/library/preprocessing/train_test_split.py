"""Split a table's rows into a training and a test table (scikit-learn's train_test_split)."""

from __future__ import annotations

from typing import NamedTuple

from pydantic import Field, model_validator

from components.library.preprocessing._columns import require
from components.sdk import Context, Params, Table, TableSchema, column, component


class TrainTestSplitParams(Params):
    test_size: float = Field(0.25, gt=0.0, lt=1.0, description="Fraction of rows to hold out")
    stratify_column: str | None = column(
        "table", default=None, description="Keep this column's class ratios in both tables"
    )
    shuffle: bool = True
    random_state: int | None = Field(
        None, ge=0, le=2**32 - 1, description="Seed; empty = the run's seed for this node"
    )

    @model_validator(mode="after")
    def _stratify_needs_shuffle(self) -> TrainTestSplitParams:
        if self.stratify_column and not self.shuffle:
            raise ValueError("a stratified split needs shuffle=true; turn shuffle on")
        return self


class TrainTestSplitOut(NamedTuple):
    train: Table
    test: Table


def _schema(
    inputs: dict[str, TableSchema | None], params: TrainTestSplitParams
) -> dict[str, TableSchema | None]:
    return {"train": inputs.get("table"), "test": inputs.get("table")}


@component(
    id="preprocessing.train_test_split",
    category="Preprocessing",
    title="Train/test split",
    tags=("split", "holdout"),
    schema=_schema,
    ports={"train": "Rows to fit on", "test": "Held-out rows to evaluate on"},
)
def train_test_split(
    table: Table, params: TrainTestSplitParams, ctx: Context
) -> TrainTestSplitOut:
    """Split rows at random into train and test tables, optionally stratified by a column.

    Equals ``sklearn.model_selection.train_test_split(table, test_size=..., shuffle=...,
    stratify=table[col], random_state=...)``: rows keep their original index labels.
    """
    from sklearn.model_selection import train_test_split as split

    stratify = None
    if params.stratify_column:
        require(table, [params.stratify_column], "stratify_column")
        stratify = table[params.stratify_column]
        if stratify.isna().any():
            raise ValueError(
                f"stratify_column {params.stratify_column!r} has missing values; "
                "fill or filter them first"
            )
    seed = ctx.random_state if params.random_state is None else params.random_state
    try:
        train, test = split(
            table,
            test_size=params.test_size,
            shuffle=params.shuffle,
            stratify=stratify,
            random_state=seed,
        )
    except ValueError as exc:
        raise ValueError(f"cannot split this table ({len(table)} rows): {exc}") from exc
    ctx.log(f"train: {len(train)} rows, test: {len(test)} rows (seed {seed})")
    return TrainTestSplitOut(train, test)
