"""PCA and select-k-best: same numbers as scikit-learn, schemas that match the output, fitted
transformers that treat other tables the same way, and errors that say what to change."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris, make_regression

import components.library
from components.sdk import Context, schema_of

REGISTRY = components.library.load()


def run(component_id: str, table: pd.DataFrame, ctx: Context | None = None, **params: Any):
    spec = REGISTRY.get(component_id)
    return spec.call({"table": table}, spec.params_model(**params), ctx or Context())


def predicted_schema(component_id: str, table: pd.DataFrame, **params: Any) -> Any:
    spec = REGISTRY.get(component_id)
    return spec.schema_fn({"table": schema_of(table)}, spec.params_model(**params))["table"]


@pytest.fixture
def iris() -> pd.DataFrame:
    frame = load_iris(as_frame=True).frame
    return frame.assign(name=pd.Series(["x"] * len(frame), dtype="str"))


def test_pca_replaces_the_columns_by_components_as_scikit_learn_computes_them(
    iris: pd.DataFrame,
) -> None:
    from sklearn.decomposition import PCA

    ctx = Context()
    out = run("preprocessing.pca", iris, ctx, exclude=["target"], n_components=2)
    features = list(iris.columns[:4])
    assert list(out["table"].columns) == ["target", "name", "pc1", "pc2"]
    assert predicted_schema("preprocessing.pca", iris, exclude=["target"]) == schema_of(
        out["table"]
    )
    expected = PCA(n_components=2).fit_transform(iris[features])
    np.testing.assert_allclose(out["table"][["pc1", "pc2"]].to_numpy(), expected)
    ratios = out["transformer"].info["explained_variance_ratio"]
    assert ratios[0] > 0.9 and any("97.8% of the variance" in m for _, m in ctx.logs)
    # the fitted transformer projects other rows with the training fit
    again = out["transformer"].transform(iris.iloc[:5])
    np.testing.assert_allclose(again[["pc1", "pc2"]].to_numpy(), expected[:5])


def test_pca_refuses_too_many_components_missing_values_and_name_clashes(
    iris: pd.DataFrame,
) -> None:
    with pytest.raises(ValueError, match="lower it to at most 4"):
        run("preprocessing.pca", iris, exclude=["target"], n_components=5)
    with pytest.raises(ValueError, match="fill_missing"):
        run("preprocessing.pca", iris.assign(target=np.nan))
    with pytest.raises(ValueError, match=r"\['pc1'\] already exist"):
        run("preprocessing.pca", iris.assign(pc1="a"), exclude=["target"])
    with pytest.raises(ValueError, match="numeric"):
        run("preprocessing.pca", iris, columns=["name", "target"])


def test_select_k_best_keeps_the_informative_columns(iris: pd.DataFrame) -> None:
    from sklearn.feature_selection import SelectKBest, f_classif

    ctx = Context()
    out = run("preprocessing.select_k_best", iris, ctx, target="target", k=2)
    features = list(iris.columns[:4])
    expected = SelectKBest(f_classif, k=2).fit(iris[features], iris["target"])
    kept = list(expected.get_feature_names_out())
    assert list(out["table"].columns) == ["target", "name", *kept]
    assert out["table"][kept].equals(iris[kept])  # values and dtypes untouched
    assert out["transformer"].transform(iris.iloc[:3]).equals(out["table"].iloc[:3])
    assert out["transformer"].info["scores"]["petal length (cm)"] > 1000
    assert any(m.startswith("kept ") for _, m in ctx.logs)
    assert predicted_schema("preprocessing.select_k_best", iris, target="target", k=2) is None


def test_select_k_best_with_f_regression_and_k_above_the_candidates() -> None:
    x, y = make_regression(80, 5, n_informative=1, random_state=0, shuffle=False)
    table = pd.DataFrame(x, columns=[f"x{i}" for i in range(5)]).assign(y=y)
    best = run("preprocessing.select_k_best", table, target="y", k=1, score_func="f_regression")
    assert list(best["table"].columns) == ["y", "x0"]
    params = {"target": "y", "k": 9, "score_func": "f_regression"}
    every = run("preprocessing.select_k_best", table, **params)["table"]
    assert every.equals(table)
    assert predicted_schema("preprocessing.select_k_best", table, **params) == schema_of(every)


def test_select_k_best_errors_say_what_to_change(iris: pd.DataFrame) -> None:
    text_target = iris.assign(target=iris["name"])
    with pytest.raises(ValueError, match="use f_classif"):
        run("preprocessing.select_k_best", text_target, target="target", score_func="f_regression")
    with pytest.raises(ValueError, match="remove it"):
        run("preprocessing.select_k_best", iris, target="target", columns=["target"])
    with pytest.raises(ValueError, match="missing values"):
        run("preprocessing.select_k_best", iris.assign(target=np.nan), target="target")
