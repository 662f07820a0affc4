"""How much each feature matters to a fitted model, from its importances or coefficients."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from components.library.evaluation._common import VEGA_LITE_SCHEMA
from components.sdk import Context, Figure, FittedModel, Model, Table, component


class FeatureImportanceOut(NamedTuple):
    table: Table
    figure: Figure


def _importances(fitted: FittedModel) -> tuple[np.ndarray, str]:
    estimator = fitted.estimator
    if getattr(estimator, "steps", None):  # a Pipeline: its final estimator
        estimator = estimator.steps[-1][1]
    name = type(estimator).__name__
    try:
        values = getattr(estimator, "feature_importances_", None)
        if values is not None:
            return np.asarray(values, dtype=float).ravel(), "importance"
        coef = getattr(estimator, "coef_", None)
    except (AttributeError, ValueError):  # e.g. coef_ of a non-linear booster
        coef = None
    if coef is None:
        raise ValueError(
            f"a {name} model has neither feature importances nor coefficients; use a tree, "
            "forest, boosting or linear model to see feature importance"
        )
    coef = np.abs(np.asarray(coef, dtype=float))
    return (coef.mean(axis=0) if coef.ndim > 1 else coef), "|coefficient|"


@component(
    id="evaluation.feature_importance",
    category="Evaluation",
    title="Feature importance",
    tags=("chart", "explain", "coefficients"),
    ports={
        "model": "A fitted tree, forest, boosting or linear model",
        "table": "Columns feature and importance, most important first",
        "figure": "Bar chart of the importances",
    },
)
def feature_importance(model: Model, ctx: Context) -> FeatureImportanceOut:
    """Rank the model's features by importance, as a table and a bar chart.

    Tree ensembles report ``feature_importances_``; linear models the absolute coefficients
    (averaged over classes), which are comparable only when the features share a scale.
    """
    fitted: FittedModel = model  # type: ignore[assignment]
    values, kind = _importances(fitted)
    if len(values) != len(fitted.features):
        raise ValueError(
            f"the model reports {len(values)} importances for {len(fitted.features)} features; "
            "it was not fitted on its recorded feature columns"
        )
    order = np.argsort(-values, kind="stable")
    table = pd.DataFrame(
        {
            "feature": pd.Series([fitted.features[i] for i in order], dtype="str"),
            "importance": values[order],
        }
    )
    rows: list[dict[str, Any]] = [
        {"feature": str(f), "importance": float(v)}
        for f, v in zip(table["feature"], table["importance"], strict=True)
    ]
    ctx.log(f"{len(rows)} feature(s) ranked by {kind}")
    figure = {
        "$schema": VEGA_LITE_SCHEMA,
        "title": f"Feature importance ({kind})",
        "width": 400,
        "height": {"step": 18},
        "data": {"values": rows},
        "mark": "bar",
        "encoding": {
            "y": {"field": "feature", "type": "nominal", "sort": "-x", "title": "Feature"},
            "x": {"field": "importance", "type": "quantitative", "title": kind.capitalize()},
            "tooltip": [
                {"field": "feature", "type": "nominal"},
                {"field": "importance", "type": "quantitative", "format": ".4f"},
            ],
        },
    }
    return FeatureImportanceOut(table, figure)
