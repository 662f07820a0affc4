"""Special behaviour of the evaluation components: metrics equal scikit-learn's, labels map back,
figures carry the right rows. Inputs are fitted here, independent of the training components."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics as skm
from sklearn.cluster import KMeans
from sklearn.datasets import load_breast_cancer, load_iris, make_regression
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.neighbors import KNeighborsClassifier

from components.library.evaluation.classification_metrics import (
    ClassificationMetricsParams,
    classification_metrics,
)
from components.library.evaluation.clustering_metrics import (
    ClusteringMetricsParams,
    clustering_metrics,
)
from components.library.evaluation.confusion_matrix import ConfusionMatrixParams, confusion_matrix
from components.library.evaluation.feature_importance import feature_importance
from components.library.evaluation.histogram import HistogramParams, histogram
from components.library.evaluation.predict import PredictParams, predict
from components.library.evaluation.regression_metrics import (
    RegressionMetricsParams,
    regression_metrics,
)
from components.library.evaluation.roc_curve import RocCurveParams, roc_curve
from components.sdk import Context, FittedModel

IRIS_NAMES = ("setosa", "versicolor", "virginica")


def _frame(loader: Any) -> pd.DataFrame:
    bunch = loader(as_frame=True)
    frame = bunch.frame
    frame.columns = [str(c).replace(" ", "_").replace("(", "").replace(")", "") for c in frame]
    return frame


def _fit(table: pd.DataFrame, estimator: Any, task: str = "classification") -> FittedModel:
    features = tuple(c for c in table.columns if c != "target")
    estimator.fit(table[list(features)], table["target"])
    classes = tuple(estimator.classes_.tolist()) if task == "classification" else ()
    return FittedModel(estimator, features, "target", task, classes)


def _json_safe(value: Any) -> Any:
    return json.loads(json.dumps(value, allow_nan=False))


@pytest.fixture(scope="module")
def cancer() -> pd.DataFrame:
    frame = _frame(load_breast_cancer)
    return frame[[*frame.columns[:5], "target"]]


@pytest.fixture(scope="module")
def iris() -> pd.DataFrame:
    return _frame(load_iris)


def test_binary_metrics_equal_sklearn(cancer: pd.DataFrame) -> None:
    model = _fit(cancer, LogisticRegression(max_iter=2000))
    scored = predict(model, cancer, PredictParams(), Context())
    got = classification_metrics(scored, ClassificationMetricsParams(), Context())
    y, p = cancer["target"], scored["prediction"]
    assert got == {
        "accuracy": skm.accuracy_score(y, p),
        "precision": skm.precision_score(y, p),
        "recall": skm.recall_score(y, p),
        "f1": skm.f1_score(y, p),
        "roc_auc": skm.roc_auc_score(y, scored["probability_1"]),
        "n_rows": float(len(cancer)),
    }
    assert all(type(v) is float for v in got.values())


def test_positive_label_switches_the_binary_scores(cancer: pd.DataFrame) -> None:
    model = _fit(cancer, LogisticRegression(max_iter=2000))
    scored = predict(model, cancer, PredictParams(), Context())
    params = ClassificationMetricsParams(positive_label="0")  # text matches the int label 0
    got = classification_metrics(scored, params, Context())
    y, p = cancer["target"], scored["prediction"]
    assert got["precision"] == skm.precision_score(y, p, pos_label=0)
    assert got["roc_auc"] == skm.roc_auc_score(y == 0, scored["probability_0"])


def test_multiclass_metrics_with_text_labels_equal_sklearn(iris: pd.DataFrame) -> None:
    table = iris.assign(target=pd.Series(np.array(IRIS_NAMES)[iris["target"]], dtype="str"))
    model = _fit(table, LogisticRegression(max_iter=2000))
    scored = predict(model, table, PredictParams(), Context())
    assert [c for c in scored if c.startswith("probability_")] == [
        f"probability_{n}" for n in IRIS_NAMES
    ]
    got = classification_metrics(scored, ClassificationMetricsParams(), Context())
    y, p = table["target"], scored["prediction"]
    proba = model.estimator.predict_proba(table[list(model.features)])
    assert got["precision"] == skm.precision_score(y, p, average="macro")
    assert got["f1"] == skm.f1_score(y, p, average="macro")
    assert got["roc_auc"] == skm.roc_auc_score(y, proba, multi_class="ovr")
    weighted = classification_metrics(
        scored, ClassificationMetricsParams(average="weighted"), Context()
    )
    assert weighted["roc_auc"] == skm.roc_auc_score(y, proba, multi_class="ovr", average="weighted")
    with pytest.raises(ValueError, match="binary.*macro"):
        classification_metrics(scored, ClassificationMetricsParams(average="binary"), Context())


def test_predict_maps_encoded_labels_back(iris: pd.DataFrame) -> None:
    # given a model trained on codes 0..2 whose FittedModel remembers the species names
    features = ("sepal_length_cm", "petal_length_cm")
    est = LogisticRegression(max_iter=2000).fit(iris[list(features)], iris["target"])
    model = FittedModel(est, features, "target", "classification", IRIS_NAMES)
    table = iris.drop(columns="target")
    # when
    out = predict(model, table, PredictParams(), Context())
    # then
    codes = est.predict(table[list(features)])
    assert out["prediction"].tolist() == [IRIS_NAMES[c] for c in codes]
    assert [c for c in out if c.startswith("probability_")] == [
        f"probability_{n}" for n in IRIS_NAMES
    ]
    flagged = FittedModel(est, features, "target", "classification", (5, 6, 7),
                          info={"label_encoded": True})
    assert set(predict(flagged, table, PredictParams(), Context())["prediction"]) == {5, 6, 7}


def test_predict_keeps_labels_of_a_model_trained_on_them(iris: pd.DataFrame) -> None:
    table = iris.assign(target=iris["target"] + 1)  # labels 1, 2, 3 are not codes
    model = _fit(table, LogisticRegression(max_iter=2000))
    out = predict(model, table, PredictParams(keep_columns=False), Context())
    assert list(out.columns) == [
        "target", "prediction", "probability_1", "probability_2", "probability_3"
    ]
    assert set(out["prediction"]) <= {1, 2, 3}


def test_predict_names_missing_features_and_clusters(iris: pd.DataFrame) -> None:
    model = _fit(iris, LogisticRegression(max_iter=2000))
    with pytest.raises(ValueError, match="petal_width_cm"):
        predict(model, iris.drop(columns="petal_width_cm"), PredictParams(), Context())
    features = ("petal_length_cm", "petal_width_cm")
    km = KMeans(n_clusters=3, n_init=3, random_state=0).fit(iris[list(features)])
    out = predict(FittedModel(km, features, None, "clustering"), iris, PredictParams(), Context())
    assert out["cluster"].tolist() == km.labels_.tolist()
    assert "prediction" not in out


def test_confusion_matrix_counts_every_row(iris: pd.DataFrame) -> None:
    model = _fit(iris, LogisticRegression(max_iter=200))
    scored = predict(model, iris, PredictParams(), Context())
    spec = confusion_matrix(scored, ConfusionMatrixParams(), Context())
    assert _json_safe(spec) == spec
    rows = spec["data"]["values"]
    assert len(rows) == 9 and sum(r["count"] for r in rows) == len(iris)
    expected = skm.confusion_matrix(iris["target"], scored["prediction"])
    assert [[r["count"] for r in rows[i * 3 : i * 3 + 3]] for i in range(3)] == expected.tolist()
    shares = confusion_matrix(scored, ConfusionMatrixParams(normalize="true"), Context())
    by_actual = pd.DataFrame(shares["data"]["values"]).groupby("actual")["share"].sum()
    assert np.allclose(by_actual, 1.0)


def test_roc_curve_points_and_auc(cancer: pd.DataFrame, iris: pd.DataFrame) -> None:
    model = _fit(cancer, LogisticRegression(max_iter=2000))
    scored = predict(model, cancer, PredictParams(), Context())
    spec = roc_curve(scored, RocCurveParams(), Context())
    assert _json_safe(spec) == spec
    fpr, tpr, _ = skm.roc_curve(cancer["target"], scored["probability_1"])
    rows = spec["data"]["values"]
    assert [r["fpr"] for r in rows] == fpr.tolist() and [r["tpr"] for r in rows] == tpr.tolist()
    assert f"AUC = {skm.auc(fpr, tpr):.3f}" in spec["title"]
    flipped = roc_curve(scored, RocCurveParams(score="probability_0"), Context())
    assert "target = 0" in flipped["title"]
    with pytest.raises(ValueError, match="exactly 2 classes"):
        roc_curve(iris.assign(probability_1=0.5), RocCurveParams(), Context())


def test_regression_metrics_equal_sklearn() -> None:
    X, y = make_regression(n_samples=80, n_features=3, noise=10.0, random_state=0)
    table = pd.DataFrame(X, columns=["a", "b", "c"]).assign(target=y + 500.0)
    model = _fit(table, LinearRegression(), task="regression")
    scored = predict(model, table, PredictParams(), Context())
    got = regression_metrics(scored, RegressionMetricsParams(), Context())
    t, p = table["target"], scored["prediction"]
    assert got == {
        "mae": skm.mean_absolute_error(t, p),
        "mse": skm.mean_squared_error(t, p),
        "rmse": skm.root_mean_squared_error(t, p),
        "r2": skm.r2_score(t, p),
        "mape": skm.mean_absolute_percentage_error(t, p),
        "n_rows": 80.0,
    }
    zeros = scored.assign(target=scored["target"].where(scored.index > 0, 0.0))
    assert "mape" not in regression_metrics(zeros, RegressionMetricsParams(), Context())


def test_feature_importance_order_and_coefficients(iris: pd.DataFrame) -> None:
    forest = _fit(iris, RandomForestClassifier(n_estimators=20, random_state=0))
    table, figure = feature_importance(forest, Context())
    importances = dict(zip(forest.features, forest.estimator.feature_importances_, strict=True))
    assert table["importance"].is_monotonic_decreasing
    assert table["feature"].tolist() == sorted(importances, key=lambda f: -importances[f])
    assert [r["feature"] for r in figure["data"]["values"]] == table["feature"].tolist()
    assert _json_safe(figure) == figure
    linear = _fit(iris, LogisticRegression(max_iter=2000))
    coef_table, _ = feature_importance(linear, Context())
    mean_abs = np.abs(linear.estimator.coef_).mean(axis=0)
    assert coef_table["importance"].tolist() == sorted(mean_abs.tolist(), reverse=True)
    with pytest.raises(ValueError, match="neither feature importances nor coefficients"):
        feature_importance(_fit(iris, KNeighborsClassifier()), Context())


def test_clustering_metrics_equal_sklearn(iris: pd.DataFrame) -> None:
    features = ["petal_length_cm", "petal_width_cm"]
    table = iris.assign(cluster=KMeans(3, n_init=3, random_state=0).fit_predict(iris[features]))
    got = clustering_metrics(table, ClusteringMetricsParams(columns=features), Context())
    X, labels = table[features], table["cluster"]
    assert got == {
        "silhouette": skm.silhouette_score(X, labels),
        "calinski_harabasz": skm.calinski_harabasz_score(X, labels),
        "davies_bouldin": skm.davies_bouldin_score(X, labels),
        "n_clusters": 3.0,
        "n_rows": 150.0,
    }
    default_columns = clustering_metrics(table, ClusteringMetricsParams(), Context())
    X_all = table.drop(columns="cluster")  # every numeric column but the cluster column
    assert default_columns["silhouette"] == skm.silhouette_score(X_all, labels)
    with pytest.raises(ValueError, match="found 1"):
        clustering_metrics(table.assign(cluster=0), ClusteringMetricsParams(), Context())


def test_histogram_counts_non_missing_rows(iris: pd.DataFrame) -> None:
    table = iris.assign(sepal_length_cm=iris["sepal_length_cm"].where(iris.index > 9))
    spec = histogram(table, HistogramParams(column="sepal_length_cm", bins=7), Context())
    rows = spec["data"]["values"]
    assert len(rows) == 7 and sum(r["count"] for r in rows) == 140
    names = table.assign(name=pd.Series(np.array(IRIS_NAMES)[iris["target"]], dtype="str"))
    bars = histogram(names, HistogramParams(column="name"), Context())["data"]["values"]
    assert sorted(r["value"] for r in bars) == list(IRIS_NAMES)
    assert _json_safe(bars) == bars
