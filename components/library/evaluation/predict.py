"""Apply a fitted model to a table: adds ``prediction`` (and ``probability_<class>``) or
``cluster``."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from pydantic import Field

from components.library.evaluation._common import PROBABILITY_PREFIX, plain, probability_column
from components.sdk import Context, FittedModel, Model, Params, Table, component


class PredictParams(Params):
    keep_columns: bool = Field(
        True,
        description="Keep the input columns; off = only the predictions (and the target, if any)",
    )


def _maps_encoded_labels(model: FittedModel, predictions: np.ndarray) -> bool:
    """True when the estimator predicts indices 0..k-1 into ``model.classes``.

    Decided by ``info["label_encoded"]`` when the trainer set it, else by the estimator's
    ``classes_``, else by the predictions themselves.
    """
    classes = list(model.classes)
    k = len(classes)
    if not k or classes == list(range(k)):
        return False  # nothing to map, or mapping would be the identity
    if "label_encoded" in model.info:
        return bool(model.info["label_encoded"])
    fitted = getattr(model.estimator, "classes_", None)
    if fitted is not None:
        return [plain(c) for c in fitted] == list(range(k))
    ints = np.issubdtype(predictions.dtype, np.integer)
    in_range = ints and predictions.size > 0 and predictions.min() >= 0 and predictions.max() < k
    return bool(in_range) and not set(predictions.tolist()) <= set(classes)


def _classify(fitted: FittedModel, X: Any, raw: np.ndarray, index: pd.Index) -> dict[str, Any]:
    """``prediction`` in the original labels plus ``probability_<class>`` columns."""
    encoded = _maps_encoded_labels(fitted, raw)
    out: dict[str, Any] = {"prediction": raw}
    if encoded:
        labels = np.asarray(fitted.classes, dtype=object)[raw.astype(int)]
        out["prediction"] = pd.Series(labels.tolist(), index=index)
    if not hasattr(fitted.estimator, "predict_proba"):
        return out
    proba = np.asarray(fitted.estimator.predict_proba(X), dtype=float)
    fitted_classes = getattr(fitted.estimator, "classes_", None)
    names = list(fitted.classes) if encoded or fitted_classes is None else list(fitted_classes)
    if len(names) != proba.shape[1]:
        names = list(range(proba.shape[1]))
    for j, label in enumerate(names):
        out[probability_column(label)] = proba[:, j]
    return out


def _is_stale(name: Any, fitted: FittedModel) -> bool:
    """An old ``probability_*`` column that a new classifier's predictions would contradict."""
    return (
        fitted.task == "classification"
        and str(name).startswith(PROBABILITY_PREFIX)
        and name not in fitted.features
    )


def _features(model: FittedModel, table: pd.DataFrame) -> Any:
    missing = [c for c in model.features if c not in table.columns]
    if missing:
        raise ValueError(
            f"the table lacks column(s) {missing} that the model was trained on; apply the same "
            "preprocessing to this table as to the training table (preprocessing.apply_transformer)"
        )
    frame = table[list(model.features)]
    # An estimator fitted on a bare array warns when given feature names: hand it the array.
    return frame if hasattr(model.estimator, "feature_names_in_") else frame.to_numpy()


@component(
    id="evaluation.predict",
    category="Evaluation",
    title="Predict",
    tags=("inference", "score", "apply model"),
    ports={
        "model": "A fitted model from a training component",
        "table": "Rows to predict; must contain the model's feature columns",
    },
)
def predict(model: Model, table: Table, params: PredictParams, ctx: Context) -> Table:
    """Apply a fitted model to a table and add its predictions.

    Classifiers add ``prediction`` (in the original class labels) and, when they can, one
    ``probability_<class>`` column per class; regressors add ``prediction``; clustering models
    add ``cluster``. Earlier columns of those names are replaced. The output columns depend
    on the model, so no schema is promised before a run.
    """
    fitted: FittedModel = model  # type: ignore[assignment]
    estimator = fitted.estimator
    if not hasattr(estimator, "predict"):
        raise ValueError(
            f"this {type(estimator).__name__} model cannot predict new rows; use a model "
            "with a predict step (for clustering: kmeans)"
        )
    X = _features(fitted, table)
    raw = np.asarray(estimator.predict(X))
    added: dict[str, Any]
    if fitted.task == "clustering":
        added = {"cluster": raw}
    elif fitted.task == "classification":
        added = _classify(fitted, X, raw, table.index)
    else:
        added = {"prediction": raw}
    replaced = [c for c in table.columns if c in added or _is_stale(c, fitted)]
    if replaced:
        ctx.log(f"replaced earlier column(s) {replaced}")
    out = table.drop(columns=replaced)
    for name, values in added.items():
        out[name] = values
    if not params.keep_columns:
        keep = [fitted.target] if fitted.target and fitted.target in out.columns else []
        out = out[keep + list(added)]
    ctx.log(f"predicted {len(out)} row(s) with {type(estimator).__name__}")
    return out
