"""One result, three ways: a sample graph run with ``LocalRunner``, its exported script run as
``python script.py --json`` in a fresh process and store, and plain scikit-learn written by hand
give the same metrics (and the graph and the script the same cache keys)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from components.library import load
from designer.dag.compile import compile_graph
from designer.dag.export import graph_to_code
from designer.dag.local import result_json, run_plan
from designer.samples import load_sample

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = load()


def frame(name: str) -> pd.DataFrame:
    """A bundled data set with the column names the dataset components use."""
    from sklearn import datasets

    data = getattr(datasets, f"load_{name}")(as_frame=True).frame
    data.columns = [str(c).replace(" ", "_").replace("(", "").replace(")", "") for c in data]
    return data


def iris_by_hand() -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, precision_recall_fscore_support, roc_auc_score
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    data = frame("iris")
    train, test = train_test_split(data, test_size=0.25, stratify=data["target"], random_state=0)
    features = [c for c in data.columns if c != "target"]
    scaler = StandardScaler().fit(train[features])
    x_train = pd.DataFrame(scaler.transform(train[features]), columns=features)
    x_test = pd.DataFrame(scaler.transform(test[features]), columns=features)
    model = LogisticRegression(random_state=0).fit(x_train, train["target"])
    predicted = model.predict(x_test)
    precision, recall, f1, _ = precision_recall_fscore_support(
        test["target"], predicted, average="macro"
    )
    auc = roc_auc_score(
        test["target"], model.predict_proba(x_test), multi_class="ovr", average="macro"
    )
    return {
        "accuracy": accuracy_score(test["target"], predicted),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "roc_auc": auc,
        "n_rows": len(test),
    }


def diabetes_by_hand() -> dict[str, Any]:
    from sklearn import metrics
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import train_test_split

    data = frame("diabetes")
    train, test = train_test_split(data, test_size=0.2, random_state=0)
    features = [c for c in data.columns if c != "target"]
    predicted = Ridge(alpha=0.1).fit(train[features], train["target"]).predict(test[features])
    y = test["target"]
    return {
        "mae": metrics.mean_absolute_error(y, predicted),
        "mse": metrics.mean_squared_error(y, predicted),
        "rmse": metrics.root_mean_squared_error(y, predicted),
        "r2": metrics.r2_score(y, predicted),
        "mape": metrics.mean_absolute_percentage_error(y, predicted),
        "n_rows": len(y),
    }


def wine_by_hand() -> dict[str, Any]:
    from sklearn import metrics
    from sklearn.cluster import KMeans
    from sklearn.preprocessing import StandardScaler

    x = StandardScaler().fit_transform(frame("wine").drop(columns=["target"]))
    labels = KMeans(n_clusters=3, random_state=0).fit(x).labels_
    return {
        "silhouette": metrics.silhouette_score(x, labels),
        "calinski_harabasz": metrics.calinski_harabasz_score(x, labels),
        "davies_bouldin": metrics.davies_bouldin_score(x, labels),
        "n_clusters": len(np.unique(labels)),
        "n_rows": len(labels),
    }


# sample -> (its metrics node, the same computation by hand; None: graph and script only)
CASES: dict[str, tuple[str, Callable[[], dict[str, Any]] | None]] = {
    "iris_logistic_regression": ("classification_metrics", iris_by_hand),
    "diabetes_ridge_regression": ("regression_metrics", diabetes_by_hand),
    "wine_kmeans": ("clustering_metrics", wine_by_hand),
    # a PyTorch network: deterministic on the CPU with its seed, so graph and script agree
    # exactly; a hand-written loop would consume the random generator differently
    "digits_torch_mlp": ("classification_metrics", None),
    # XGBoost on 100,000 generated rows: one thread and a seed, so it is deterministic too
    "synthetic_churn_xgboost": ("classification_metrics", None),
}


@pytest.fixture(scope="module")
def script_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every case's exported script, run at once in its own process with its own empty store."""
    base = tmp_path_factory.mktemp("scripts")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    running = {}
    for name in CASES:
        script = base / f"{name}.py"
        script.write_text(graph_to_code(load_sample(name)[2], REGISTRY, name=name))
        command = [sys.executable, str(script), "--json", "--store", str(base / f"store_{name}")]
        running[name] = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    results = {}
    for name, process in running.items():
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, f"{name}: {err}"
        results[name] = json.loads(out)
    return results


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
def test_graph_run_exported_script_and_sklearn_agree(
    name: str, script_results: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    metrics_node, by_hand = CASES[name]
    plan = compile_graph(load_sample(name)[2], REGISTRY)
    graph_run = result_json(plan, run_plan(plan, REGISTRY, store=tmp_path))
    script_run = script_results[name]

    assert graph_run["status"] == script_run["status"] == "succeeded"
    assert graph_run["metrics"] == script_run["metrics"]  # exactly, not approximately
    assert {k: n["cache_key"] for k, n in graph_run["nodes"].items()} == {
        k: n["cache_key"] for k, n in script_run["nodes"].items()
    }
    assert {n["status"] for n in script_run["nodes"].values()} == {"succeeded"}  # not cached

    got = graph_run["metrics"][metrics_node]
    if by_hand is None:
        assert got["accuracy"] > 0.9  # a trained model, far above chance (0.1, 0.5)
        return
    expected = by_hand()
    assert set(got) == set(expected)
    for key, value in expected.items():
        assert got[key] == pytest.approx(float(value), rel=1e-12, abs=1e-12), key
