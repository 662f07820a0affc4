"""Trainer components: same models as plain scikit-learn/XGBoost, the run seed, progress,
cancellation, label handling and the error messages users see."""

from __future__ import annotations

import io
import itertools
from typing import Any

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification, make_regression

import components.library.training  # noqa: F401 - registers the trainers
from components.library.training.sklearn_estimators import cluster_schema
from components.sdk import REGISTRY, Cancelled, Context, FittedModel, schema_of

FEATURES = ["x0", "x1", "x2", "x3"]


def _classification(labels: tuple[Any, Any] = (0, 1)) -> pd.DataFrame:
    x, y = make_classification(120, 4, n_informative=3, n_redundant=0, random_state=1)
    frame = pd.DataFrame(x, columns=FEATURES)
    frame["label"] = np.asarray(labels, dtype=object)[y].tolist()
    return frame


def _regression() -> pd.DataFrame:
    x, y = make_regression(120, 4, noise=5.0, random_state=1)
    return pd.DataFrame(x, columns=FEATURES).assign(label=y)


def _ticking_context(**kwargs: Any) -> tuple[Context, list[tuple[float, float | None]]]:
    """A context whose clock moves 1 s per call, so no progress report is throttled away."""
    events: list[tuple[float, float | None]] = []
    ticks = itertools.count()
    ctx = Context(
        clock=lambda: float(next(ticks)),
        on_progress=lambda value, maximum, text: events.append((value, maximum)),
        **kwargs,
    )
    return ctx, events


def _train(component_id: str, table: pd.DataFrame, ctx: Context | None = None, **params: Any):
    spec = REGISTRY.get(component_id)
    values = {"target": "label", **params} if "target" in spec.params_model.model_fields else params
    return spec.call({"table": table}, spec.params_model.model_validate(values), ctx or Context())


SAME_AS_SKLEARN = [
    ("training.logistic_regression", "sklearn.linear_model.LogisticRegression", {"C": 0.3}),
    ("training.random_forest_classifier", "sklearn.ensemble.RandomForestClassifier",
     {"n_estimators": 23, "max_depth": 4}),
    ("training.gradient_boosting_regressor", "sklearn.ensemble.GradientBoostingRegressor",
     {"n_estimators": 30, "subsample": 0.7}),
    ("training.random_forest_regressor", "sklearn.ensemble.RandomForestRegressor",
     {"n_estimators": 12, "min_samples_leaf": 0.05}),
]


@pytest.mark.parametrize(("component_id", "path", "params"), SAME_AS_SKLEARN)
def test_trainer_fits_the_same_model_as_plain_scikit_learn(
    component_id: str, path: str, params: dict[str, Any]
) -> None:
    from components.adapters.sklearn import import_estimator

    regression = "regression" in REGISTRY.get(component_id).tags
    table = _regression() if regression else _classification()
    model = _train(component_id, table, Context(seed=5), **params)["model"]
    plain = import_estimator(path)(**params, random_state=5).fit(table[FEATURES], table["label"])
    assert model.features == tuple(FEATURES) and model.target == "label"
    x = table[FEATURES]
    np.testing.assert_array_equal(model.estimator.predict(x), plain.predict(x))
    assert not model.estimator.get_params()["warm_start"]  # staged fitting leaves no trace


def test_random_state_defaults_to_the_run_seed_and_an_explicit_one_wins() -> None:
    table = _classification()

    def forest(seed: int, **params: Any) -> Any:
        trainer = "training.random_forest_classifier"
        model = _train(trainer, table, Context(seed=seed), n_estimators=8, **params)["model"]
        return model.estimator.predict_proba(table[FEATURES])

    assert np.array_equal(forest(0), forest(0))
    assert not np.array_equal(forest(0), forest(1))
    assert np.array_equal(forest(0, random_state=9), forest(1, random_state=9))


def test_kmeans_outputs_the_table_with_an_int_cluster_column_as_its_schema_says() -> None:
    table = _classification()
    out = _train("training.kmeans", table, features=FEATURES, n_clusters=3)
    params = REGISTRY.get("training.kmeans").params_model.model_validate({"features": FEATURES})
    predicted = cluster_schema({"table": schema_of(table)}, params)["table"]
    assert predicted == schema_of(out["table"])
    assert set(out["table"]["cluster"]) == {0, 1, 2}
    assert out["model"].task == "clustering" and out["model"].target is None
    assert "cluster" not in table.columns  # the input is untouched
    again = _train("training.kmeans", out["table"].assign(y=1.0), features=FEATURES)["table"]
    assert cluster_schema({"table": schema_of(out["table"].assign(y=1.0))}, params)["table"] == (
        schema_of(again)
    )  # an old cluster column is replaced and moves to the end, as the schema says


def test_classifiers_keep_string_classes_and_survive_pickling() -> None:
    table = _classification(labels=("no", "yes"))
    trainers = {
        "training.logistic_regression": {},
        "training.xgboost_classifier": {"n_estimators": 5},
    }
    for component_id, params in trainers.items():
        model: FittedModel = _train(component_id, table, **params)["model"]
        assert model.classes == ("no", "yes") and model.info["label_encoded"] is False
        restored = joblib.load(_pickled(model))
        predictions = restored.estimator.predict(table[FEATURES])
        assert set(predictions) <= {"no", "yes"}
        assert restored.estimator.predict_proba(table[FEATURES]).shape == (120, 2)


def _pickled(value: Any) -> io.BytesIO:
    buffer = io.BytesIO()
    joblib.dump(value, buffer)
    buffer.seek(0)
    return buffer


def test_xgboost_matches_plain_xgboost_and_reports_every_round() -> None:
    import xgboost

    table = _regression()
    ctx, events = _ticking_context(seed=4)
    model = _train("training.xgboost_regressor", table, ctx, n_estimators=12, max_depth=3)["model"]
    plain = xgboost.XGBRegressor(
        n_estimators=12, max_depth=3, learning_rate=0.3, random_state=4, n_jobs=1,
        tree_method="hist",
    ).fit(table[FEATURES], table["label"])
    x = table[FEATURES]
    np.testing.assert_allclose(model.estimator.predict(x), plain.predict(x))
    assert events == [(float(i), 12.0) for i in range(13)]
    assert model.estimator.get_params()["callbacks"] is None  # no context inside the model
    assert any("120 rows" in message for _, message in ctx.logs)


def test_gradient_boosting_reports_progress_per_stage() -> None:
    ctx, events = _ticking_context()
    _train("training.gradient_boosting_classifier", _classification(), ctx, n_estimators=7)
    assert events == [(float(i), 7.0) for i in range(8)]


@pytest.mark.parametrize(
    "component_id", ["training.xgboost_classifier", "training.gradient_boosting_classifier"]
)
def test_cancellation_stops_training_mid_way(component_id: str) -> None:
    events: list[tuple[float, float | None]] = []
    ctx, events = _ticking_context(is_cancelled=lambda: len(events) >= 4)
    with pytest.raises(Cancelled):
        _train(component_id, _classification(), ctx, n_estimators=50)
    assert events[-1][0] < 50  # stopped long before the last round


def test_non_numeric_features_are_named_with_the_fix() -> None:
    table = _classification().assign(colour=pd.Series(["red", "blue"] * 60, dtype="str"))
    with pytest.raises(ValueError, match=r"\['colour'\].*one_hot_encoder"):
        _train("training.logistic_regression", table)
    model = _train("training.logistic_regression", table, features=FEATURES)["model"]
    assert model.features == tuple(FEATURES)


@pytest.mark.parametrize(
    ("component_id", "change", "message"),
    [
        ("training.linear_regression", {"label": ["a", "b"] * 60}, "regression predicts numbers"),
        ("training.logistic_regression", {"label": np.linspace(0, 1, 120)}, "use a regressor"),
        ("training.logistic_regression", {"label": [1] * 120}, "single class"),
        ("training.logistic_regression", {"label": [0, None] * 60}, "missing value"),
        ("training.logistic_regression", {"x0": [1.0, np.nan] * 60}, "fill_missing"),
        ("training.xgboost_classifier", {"label": [0, None] * 60}, "missing value"),
    ],
)
def test_unusable_data_gets_a_message_that_says_what_to_do(
    component_id: str, change: dict[str, Any], message: str
) -> None:
    table = _classification().assign(**change)
    with pytest.raises(ValueError, match=message):
        _train(component_id, table)


def test_trees_and_xgboost_accept_missing_feature_values() -> None:
    table = _classification().assign(x0=[1.0, np.nan] * 60)
    trainers = {
        "training.decision_tree_classifier": {},
        "training.xgboost_classifier": {"n_estimators": 3},
    }
    for component_id, params in trainers.items():
        model = _train(component_id, table, **params)["model"]
        assert len(model.estimator.predict(table[FEATURES])) == len(table)


def test_bad_column_choices_are_refused_before_training() -> None:
    table = _classification()
    with pytest.raises(ValueError, match="not in the table"):
        _train("training.ridge_regression", table, target="nope")
    with pytest.raises(ValueError, match="remove it"):
        _train("training.ridge_regression", table, features=["x0", "label"])


def test_generated_specs_have_the_shape_of_hand_written_ones() -> None:
    spec = REGISTRY.get("training.gradient_boosting_classifier")
    assert spec.func.__name__ == spec.name == "gradient_boosting_classifier"
    assert [p.name for p in spec.inputs] == ["table"]
    assert [p.type for p in spec.outputs] == ["model"]
    assert spec.category == REGISTRY.get("training.xgboost_classifier").category
    assert spec.example_params == {"target": "target", "features": ["f0", "f1", "f2", "f3"]}
    described = spec.describe()
    assert described["column_params"]["target"] == {"port": "table", "multiple": False,
                                                     "numeric": False}
    assert described["params_schema"]["required"] == ["target"]
    kmeans = REGISTRY.get("training.kmeans")
    assert [p.name for p in kmeans.outputs] == ["model", "table"]
    assert "target" not in kmeans.params_model.model_fields and kmeans.schema_fn is not None
