"""Confusion matrix of true vs predicted labels as a Vega-Lite heatmap with inline counts."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from components.library.evaluation._common import VEGA_LITE_SCHEMA, class_labels, values_of
from components.sdk import Context, Figure, Params, Table, column, component

NORMALIZE_TITLES = {
    "none": "",
    "true": " (share of each actual class)",
    "pred": " (share of each predicted class)",
    "all": " (share of all rows)",
}


class ConfusionMatrixParams(Params):
    target: str = column("table", default="target", description="Column with the true labels")
    prediction: str = column(
        "table", default="prediction", description="Column with the predicted labels"
    )
    normalize: Literal["none", "true", "pred", "all"] = Field(
        "none", description="Show counts, or shares over actual rows, predicted columns or all"
    )


def _spec(rows: list[dict[str, Any]], labels: list[Any], field: str, title: str) -> dict[str, Any]:
    top = max((r[field] for r in rows), default=0)
    text_format = "d" if field == "count" else ".2f"
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": title,
        "width": 300,
        "height": 300,
        "data": {"values": rows},
        "encoding": {
            "x": {"field": "predicted", "type": "nominal", "sort": labels, "title": "Predicted"},
            "y": {"field": "actual", "type": "nominal", "sort": labels, "title": "Actual"},
        },
        "layer": [
            {
                "mark": "rect",
                "encoding": {
                    "color": {
                        "field": field,
                        "type": "quantitative",
                        "title": field.capitalize(),
                        "scale": {"scheme": "blues"},
                    },
                    "tooltip": [
                        {"field": "actual", "type": "nominal"},
                        {"field": "predicted", "type": "nominal"},
                        {"field": "count", "type": "quantitative"},
                    ],
                },
            },
            {
                "mark": {"type": "text", "baseline": "middle"},
                "encoding": {
                    "text": {"field": field, "type": "quantitative", "format": text_format},
                    "color": {
                        "condition": {"test": f"datum['{field}'] > {top / 2!r}", "value": "white"},
                        "value": "black",
                    },
                },
            },
        ],
    }


@component(
    id="evaluation.confusion_matrix",
    category="Evaluation",
    title="Confusion matrix",
    tags=("chart", "classification", "errors"),
    ports={"table": "A table with true and predicted labels (output of evaluation.predict)"},
)
def confusion_matrix(table: Table, params: ConfusionMatrixParams, ctx: Context) -> Figure:
    """Heatmap of how often each actual class was predicted as each class.

    Cells hold ``count`` (rows) and, when normalizing, ``share``; every pair of labels appears,
    zeros included, so the counts add up to the number of rows.
    """
    from sklearn.metrics import confusion_matrix as sk_confusion_matrix

    y_true = values_of(table, params.target, "target")
    y_pred = values_of(table, params.prediction, "prediction")
    labels = class_labels(y_true, y_pred)
    counts = sk_confusion_matrix(y_true, y_pred, labels=labels)
    norm = None if params.normalize == "none" else params.normalize
    shares = sk_confusion_matrix(y_true, y_pred, labels=labels, normalize=norm) if norm else None
    rows: list[dict[str, Any]] = []
    for i, actual in enumerate(labels):
        for j, predicted in enumerate(labels):
            row: dict[str, Any] = {
                "actual": actual,
                "predicted": predicted,
                "count": int(counts[i, j]),
            }
            if shares is not None:
                row["share"] = float(shares[i, j])
            rows.append(row)
    ctx.log(f"{len(labels)} class(es), {len(table)} row(s)")
    field = "count" if shares is None else "share"
    title = f"Confusion matrix: {params.target} vs {params.prediction}"
    return _spec(rows, labels, field, title + NORMALIZE_TITLES[params.normalize])
