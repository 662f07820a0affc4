"""The newer allowlisted estimators: staged (progress-reporting) fits that equal plain scikit-learn,
early stopping included, and models that evaluation.predict applies or clearly refuses."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs, make_classification, make_regression

import components.library
from components.adapters.sklearn import import_estimator
from components.library.training.sklearn_estimators import ESTIMATORS
from components.sdk import Context, FittedModel

REGISTRY = components.library.load()
FEATURES = ["x0", "x1", "x2", "x3"]


def _classification() -> pd.DataFrame:
    x, y = make_classification(120, 4, n_informative=3, n_redundant=0, random_state=1)
    return pd.DataFrame(x, columns=FEATURES).assign(label=y)


def _regression() -> pd.DataFrame:
    x, y = make_regression(120, 4, noise=5.0, random_state=1)
    return pd.DataFrame(x, columns=FEATURES).assign(label=y)


def _ticking_context() -> tuple[Context, list[tuple[float, float | None, str]]]:
    """A context whose clock moves 1 s per call, so no progress report is throttled away."""
    events: list[tuple[float, float | None, str]] = []
    ticks = itertools.count()
    ctx = Context(
        seed=5,
        clock=lambda: float(next(ticks)),
        on_progress=lambda value, maximum, text: events.append((value, maximum, text)),
    )
    return ctx, events


def _train(component_id: str, table: pd.DataFrame, ctx: Context | None = None, **params: Any):
    spec = REGISTRY.get(component_id)
    values = {"target": "label", **params} if "target" in spec.params_model.model_fields else params
    return spec.call({"table": table}, spec.params_model.model_validate(values), ctx or Context())


def _predict(model: FittedModel, table: pd.DataFrame) -> pd.DataFrame:
    spec = REGISTRY.get("evaluation.predict")
    params = spec.params_model.model_validate({})
    return spec.call({"model": model, "table": table}, params, Context())["table"]


STAGED = [
    ("training.hist_gradient_boosting_classifier", {"max_iter": 30}, 30),
    ("training.hist_gradient_boosting_regressor", {"max_iter": 30, "max_features": 0.5}, 30),
    ("training.extra_trees_regressor", {"n_estimators": 12}, 12),
    # early stopping exactly at a step boundary (6 of 30, steps of 3), then between two (7)
    (
        "training.hist_gradient_boosting_classifier",
        {"max_iter": 30, "learning_rate": 1.0, "early_stopping": True, "n_iter_no_change": 1},
        6,
    ),
    (
        "training.hist_gradient_boosting_classifier",
        {"max_iter": 30, "learning_rate": 1.0, "early_stopping": True, "n_iter_no_change": 2},
        7,
    ),
]


@pytest.mark.parametrize(("component_id", "params", "grown"), STAGED)
def test_staged_fits_report_progress_and_equal_one_plain_fit(
    component_id: str, params: dict[str, Any], grown: int
) -> None:
    spec = REGISTRY.get(component_id)
    table = _regression() if "regression" in spec.tags else _classification()
    ctx, events = _ticking_context()
    model = _train(component_id, table, ctx, **params)["model"]
    cls = import_estimator(next(e.estimator for e in ESTIMATORS if e.id == component_id))
    plain = cls(**params, random_state=5).fit(table[FEATURES], table["label"])
    x = table[FEATURES]
    method = "predict_proba" if hasattr(plain, "predict_proba") else "predict"
    np.testing.assert_array_equal(getattr(model.estimator, method)(x), getattr(plain, method)(x))
    assert getattr(model.estimator, "n_iter_", grown) == getattr(plain, "n_iter_", grown) == grown
    assert model.estimator.get_params() == plain.get_params()  # warm_start off, sizes restored
    total = float(next(iter(params.values())))
    assert events[0][:2] == (0.0, total) and events[-1][:2] == (total, total)
    values = [value for value, _, _ in events]
    assert values == sorted(set(values)) and len(values) >= 3  # steps, not just start and end
    if grown < total:
        assert events[-1][2] == f"stopped early after {grown} iterations"


def test_hist_gradient_boosting_accepts_missing_feature_values() -> None:
    table = _classification().assign(x0=[1.0, np.nan] * 60)
    model = _train("training.hist_gradient_boosting_classifier", table, max_iter=5)["model"]
    out = _predict(model, table)
    assert out["prediction"].notna().all() and "probability_1" in out.columns


def test_classifiers_without_probabilities_predict_labels_only() -> None:
    table = _classification()
    for component_id, params in [
        ("training.linear_svc", {}),
        ("training.sgd_classifier", {}),  # hinge loss: no probabilities
    ]:
        out = _predict(_train(component_id, table, **params)["model"], table)
        assert set(out["prediction"]) <= {0, 1}
        assert not [c for c in out.columns if c.startswith("probability_")], component_id
    with_proba = _train("training.sgd_classifier", table, loss="log_loss")["model"]
    assert {"probability_0", "probability_1"} <= set(_predict(with_proba, table).columns)


def test_regressors_predict_numbers_close_to_the_target() -> None:
    table = _regression()
    for component_id in ("training.elastic_net", "training.knn_regressor", "training.svr"):
        params = {"alpha": 0.1} if component_id == "training.elastic_net" else {}
        predicted = _predict(_train(component_id, table, **params)["model"], table)["prediction"]
        assert np.corrcoef(predicted, table["label"])[0, 1] > 0.5, component_id


def test_dbscan_labels_dense_groups_and_noise_but_cannot_predict_new_rows() -> None:
    x, _ = make_blobs(90, 2, centers=[[0, 0], [10, 10], [-10, 10]], cluster_std=0.5, random_state=0)
    table = pd.DataFrame(np.vstack([x, [[30.0, -30.0]]]), columns=["a", "b"])
    out = _train("training.dbscan", table, eps=1.5)
    assert set(out["table"]["cluster"]) == {-1, 0, 1, 2}
    assert out["table"]["cluster"].iloc[-1] == -1  # the far-away row is noise
    with pytest.raises(ValueError, match="cannot predict new rows"):
        _predict(out["model"], table)
