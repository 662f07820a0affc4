"""ROC curve (false vs true positive rate) of a binary classifier's scores, as Vega-Lite."""

from __future__ import annotations

import math
from typing import Any

from pydantic import Field

from components.library.evaluation._common import (
    PROBABILITY_PREFIX,
    VEGA_LITE_SCHEMA,
    class_labels,
    default_positive,
    label_key,
    numeric_values,
    resolve_label,
    values_of,
)
from components.sdk import Context, Figure, Params, Table, column, component


class RocCurveParams(Params):
    target: str = column("table", default="target", description="Column with the true labels")
    score: str = column(
        "table",
        default="probability_1",
        description="Column with the positive class's score or probability",
    )
    positive_label: int | str | None = Field(
        None,
        description="The positive class; empty = the class named by the score column, else 1",
    )


def _positive(labels: list[Any], params: RocCurveParams) -> Any:
    if params.positive_label is not None:
        return resolve_label(labels, params.positive_label, "positive_label")
    if params.score.startswith(PROBABILITY_PREFIX):
        named = params.score[len(PROBABILITY_PREFIX) :]
        for label in labels:
            if label_key(label) == named:
                return label
    return default_positive(labels)


@component(
    id="evaluation.roc_curve",
    category="Evaluation",
    title="ROC curve",
    tags=("chart", "classification", "auc", "roc"),
    ports={"table": "A table with true labels and a score column (output of evaluation.predict)"},
)
def roc_curve(table: Table, params: RocCurveParams, ctx: Context) -> Figure:
    """ROC curve of a binary classifier: true vs false positive rate over all thresholds.

    The title shows the area under the curve; the dashed diagonal is a random guess. Needs
    exactly two classes in the target column.
    """
    from sklearn.metrics import auc
    from sklearn.metrics import roc_curve as sk_roc_curve

    y_true = values_of(table, params.target, "target")
    scores = numeric_values(table, params.score, "score")
    labels = class_labels(y_true)
    if len(labels) != 2:
        raise ValueError(
            f"a ROC curve needs exactly 2 classes in {params.target!r}, found {len(labels)} "
            f"({labels[:10]}); filter the table to two classes (preprocessing.filter_rows) or "
            "use evaluation.classification_metrics for a one-vs-rest ROC AUC"
        )
    positive = _positive(labels, params)
    fpr, tpr, thresholds = sk_roc_curve(y_true, scores, pos_label=positive)
    area = float(auc(fpr, tpr))
    rows = [
        {
            "step": i,
            "fpr": float(f),
            "tpr": float(t),
            "threshold": float(h) if math.isfinite(h) else None,
        }
        for i, (f, t, h) in enumerate(zip(fpr, tpr, thresholds, strict=True))
    ]
    ctx.log(f"positive label {label_key(positive)!r}, AUC {area:.4f}")
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": f"ROC curve, {params.target} = {label_key(positive)} (AUC = {area:.3f})",
        "width": 300,
        "height": 300,
        "data": {"values": rows},
        "layer": [
            {
                "mark": {"type": "line"},
                "encoding": {
                    "x": {"field": "fpr", "type": "quantitative", "title": "False positive rate"},
                    "y": {"field": "tpr", "type": "quantitative", "title": "True positive rate"},
                    "order": {"field": "step", "type": "quantitative"},
                    "tooltip": [
                        {"field": "fpr", "type": "quantitative", "format": ".3f"},
                        {"field": "tpr", "type": "quantitative", "format": ".3f"},
                        {"field": "threshold", "type": "quantitative", "format": ".3f"},
                    ],
                },
            },
            {
                "data": {"values": [{"fpr": 0.0, "tpr": 0.0}, {"fpr": 1.0, "tpr": 1.0}]},
                "mark": {"type": "line", "strokeDash": [4, 4], "color": "gray"},
                "encoding": {
                    "x": {"field": "fpr", "type": "quantitative"},
                    "y": {"field": "tpr", "type": "quantitative"},
                },
            },
        ],
    }
