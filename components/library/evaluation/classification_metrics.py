"""Accuracy, precision, recall, F1 and (with probability columns) ROC AUC of predicted labels."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field

from components.library.evaluation._common import (
    PROBABILITY_PREFIX,
    class_labels,
    default_positive,
    finite_metrics,
    label_key,
    probability_column,
    resolve_label,
    values_of,
)
from components.sdk import Context, Metrics, Params, Table, column, component


class ClassificationMetricsParams(Params):
    target: str = column("table", default="target", description="Column with the true labels")
    prediction: str = column(
        "table", default="prediction", description="Column with the predicted labels"
    )
    average: Literal["auto", "binary", "macro", "micro", "weighted"] = Field(
        "auto",
        description="How to average per-class scores; auto = binary for 2 classes, else macro",
    )
    positive_label: int | str | None = Field(
        None, description="The positive class for binary scores; empty = 1 (else the last label)"
    )


def _roc_auc(
    table: pd.DataFrame, y_true: np.ndarray, average: str, positive: Any, ctx: Context
) -> float | None:
    """ROC AUC from ``probability_<class>`` columns, or None (with a log line) when not possible."""
    from sklearn.metrics import roc_auc_score

    given = [str(c) for c in table.columns if str(c).startswith(PROBABILITY_PREFIX)]
    present = class_labels(y_true)
    if not given:
        return None
    if len(present) < 2:
        ctx.warning("roc_auc needs at least two classes among the true labels; skipped")
        return None
    if len(present) == 2:  # binary: the positive class's column, or 1 - the other one's
        positive = default_positive(present) if positive is None else positive
        negative = next(x for x in present if x != positive)
        is_positive = y_true == positive
        if probability_column(positive) in given:
            return float(roc_auc_score(is_positive, table[probability_column(positive)]))
        if probability_column(negative) in given:
            return float(roc_auc_score(is_positive, 1.0 - table[probability_column(negative)]))
        ctx.warning(f"roc_auc needs column {probability_column(positive)!r}; skipped")
        return None
    names = [probability_column(x) for x in present]
    if sorted(names) != sorted(given):
        ctx.warning(f"roc_auc needs exactly the probability columns {names}, got {given}; skipped")
        return None
    scores = table[names].to_numpy(dtype=float)
    avg = "macro" if average == "binary" else average
    return float(roc_auc_score(y_true, scores, multi_class="ovr", average=avg, labels=present))


@component(
    id="evaluation.classification_metrics",
    category="Evaluation",
    title="Classification metrics",
    tags=("accuracy", "precision", "recall", "f1", "auc", "score"),
    ports={"table": "A table with true and predicted labels (output of evaluation.predict)"},
)
def classification_metrics(
    table: Table, params: ClassificationMetricsParams, ctx: Context
) -> Metrics:
    """Accuracy, precision, recall, F1 and ROC AUC of a classifier's predictions.

    ROC AUC is added when the table has ``probability_<class>`` columns (binary: the positive
    class's column; multiclass: one-vs-rest over every class's column). Values equal
    scikit-learn's ``sklearn.metrics`` functions.
    """
    from sklearn.metrics import accuracy_score, precision_recall_fscore_support

    y_true = values_of(table, params.target, "target")
    y_pred = values_of(table, params.prediction, "prediction")
    labels = class_labels(y_true, y_pred)
    average = params.average
    if average == "auto":
        average = "binary" if len(labels) <= 2 else "macro"
    if average == "binary" and len(labels) > 2:
        raise ValueError(
            f"average 'binary' needs 2 classes but the labels are {labels}; choose macro, micro "
            "or weighted"
        )
    positive: Any = None
    if average == "binary":
        wanted = params.positive_label
        positive = (
            default_positive(labels)
            if wanted is None
            else resolve_label(labels, wanted, "positive_label")
        )
        ctx.log(f"binary scores for positive label {label_key(positive)!r}")
    kwargs: dict[str, Any] = {"average": average}
    if positive is not None:
        kwargs["pos_label"] = positive
    precision, recall, f1, _ = precision_recall_fscore_support(y_true, y_pred, **kwargs)
    metrics: dict[str, Any] = {
        "accuracy": accuracy_score(y_true, y_pred),
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }
    auc = _roc_auc(table, y_true, average, positive, ctx)
    if auc is not None:
        metrics["roc_auc"] = auc
    metrics["n_rows"] = len(table)
    return finite_metrics(metrics)
