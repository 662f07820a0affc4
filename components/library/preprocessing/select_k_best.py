"""Keep the k numeric columns most related to a target by a univariate F-test."""

from __future__ import annotations

import math
import warnings
from typing import Literal, NamedTuple

from pydantic import Field

from components.library.preprocessing._columns import NUMERIC, pick, require
from components.sdk import (
    Context,
    FittedTransformer,
    Params,
    Table,
    TableSchema,
    Transformer,
    column,
    columns as column_list,  # a field named 'columns' would shadow the helper
    component,
    schema_of,
)


class SelectKBestParams(Params):
    target: str = column("table", description="The column the candidates are scored against")
    columns: list[str] = column_list(
        "table",
        numeric=True,
        description="Candidate columns; empty = every numeric column except the target",
    )
    exclude: list[str] = column_list("table", description="Columns never considered (kept)")
    k: int = Field(10, ge=1, le=100_000, description="How many candidate columns to keep.")
    score_func: Literal["f_classif", "f_regression"] = Field(
        "f_classif",
        description="f_classif (ANOVA F) for class targets, f_regression for numeric targets.",
    )


class SelectKBestOut(NamedTuple):
    table: Table
    transformer: Transformer


def _candidates(schema: TableSchema, params: SelectKBestParams) -> list[str]:
    return pick(schema, params.columns, [*params.exclude, params.target], NUMERIC)


def _schema(
    inputs: dict[str, TableSchema | None], params: SelectKBestParams
) -> dict[str, TableSchema | None]:
    schema = inputs.get("table")
    if schema is None or params.k < len(_candidates(schema, params)):
        return {"table": None}  # which columns survive depends on the data
    return {"table": schema}


@component(
    id="preprocessing.select_k_best",
    category="Preprocessing",
    title="Select k best features",
    tags=("feature selection", "anova", "f-test"),
    schema=_schema,
    ports={"transformer": "The fitted selection, to keep the same columns in other tables"},
    example={"target": "target", "k": 2},
)
def select_k_best(table: Table, params: SelectKBestParams, ctx: Context) -> SelectKBestOut:
    """Keep the ``k`` candidate columns with the highest F-test score against ``target``.

    The other candidates are dropped; columns that are not candidates (the target, text
    columns, ``exclude``) stay, and the kept candidates move after them. Scores are logged.
    """
    from sklearn.feature_selection import SelectKBest, f_classif, f_regression

    require(table, [params.target, *params.columns, *params.exclude], "target/columns/exclude")
    if params.target in params.columns:
        raise ValueError(f"the target {params.target!r} is also listed in columns; remove it")
    schema = schema_of(table)
    cols = _candidates(schema, params)
    wrong = [c for c in cols if schema.get(c).kind not in NUMERIC]  # type: ignore[union-attr]
    if wrong or not cols:
        raise ValueError(f"candidates must be numeric columns; {wrong or 'none'} picked")
    regression = params.score_func == "f_regression"
    if regression and schema.get(params.target).kind not in NUMERIC:  # type: ignore[union-attr]
        raise ValueError(
            f"f_regression needs a numeric target; {params.target!r} is not: "
            "use f_classif for class labels"
        )
    missing = [c for c in [*cols, params.target] if table[c].isna().any()]
    if missing:
        raise ValueError(
            f"column(s) {missing} have missing values; fill or drop them first "
            "(preprocessing.fill_missing, preprocessing.filter_rows)"
        )
    k = min(params.k, len(cols))
    if k < params.k:
        ctx.log(f"k={params.k} but only {len(cols)} candidate column(s): keeping them all")
    selector = SelectKBest(f_regression if regression else f_classif, k=k)
    selector.set_output(transform="pandas")  # keeps each kept column's dtype
    with warnings.catch_warnings():  # constant columns score NaN and rank last
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", UserWarning)
        selector.fit(table[cols], table[params.target])
    kept = tuple(str(c) for c in selector.get_feature_names_out())
    scores = {c: float(s) for c, s in zip(cols, selector.scores_, strict=True)}
    fitted = FittedTransformer(
        selector,
        tuple(cols),
        kind="feature selection",
        output_columns=kept,
        info={"scores": scores},
    )
    ranked = sorted(scores.items(), key=lambda item: (math.isnan(item[1]), -item[1]))
    ctx.log(
        f"kept {list(kept)} of {len(cols)}; scores: "
        + ", ".join(f"{c} {s:.3g}" for c, s in ranked[:20])
    )
    return SelectKBestOut(fitted.transform(table), fitted)
