"""Behaviour of the synthetic data set generators: seeds, sklearn equality, parameter checks."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError

import components.library
from components.sdk import Context, schema_of

REGISTRY = components.library.load()
GENERATORS = ["make_classification", "make_regression", "make_blobs"]


def run(name: str, seed: int = 0, **params: Any) -> Any:
    spec = REGISTRY.get(f"datasets.{name}")
    return spec.call({}, spec.params_model(**params), Context(seed=seed))["table"]


# sklearn's keyword arguments that match each component's defaults
SKLEARN_DEFAULTS: dict[str, dict[str, Any]] = {
    "make_classification": {"n_informative": 2, "n_redundant": 0, "n_clusters_per_class": 1},
    "make_regression": {"n_informative": 3, "noise": 10.0},
    "make_blobs": {"centers": 3},
}


@pytest.mark.parametrize("name", GENERATORS)
def test_equals_sklearn_with_the_same_random_state(name: str) -> None:
    from sklearn import datasets

    table = run(name, n_samples=50, n_features=3, random_state=11)
    kwargs = SKLEARN_DEFAULTS[name]
    x, y = getattr(datasets, name)(n_samples=50, n_features=3, random_state=11, **kwargs)
    assert np.array_equal(table[["x0", "x1", "x2"]].to_numpy(), x)
    assert np.array_equal(table["target"].to_numpy(), y)


@pytest.mark.parametrize("name", GENERATORS)
def test_no_random_state_means_the_node_seed(name: str) -> None:
    assert run(name, seed=4).equals(run(name, seed=4, random_state=4))
    assert not run(name, seed=4).equals(run(name, seed=5))


@pytest.mark.parametrize("name", GENERATORS)
def test_schema_follows_n_features(name: str) -> None:
    spec = REGISTRY.get(f"datasets.{name}")
    params = spec.params_model(n_features=5)
    predicted = spec.schema_fn({}, params)["table"]  # type: ignore[misc]
    assert predicted == schema_of(run(name, n_features=5))
    assert predicted.names == ["x0", "x1", "x2", "x3", "x4", "target"]


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("make_classification", {"n_features": 3, "n_informative": 2, "n_redundant": 2}, "exceed"),
        ("make_classification", {"n_classes": 5, "n_informative": 2}, "2 \\*\\* n_informative"),
        ("make_regression", {"n_features": 2, "n_informative": 3}, "exceed"),
        ("make_blobs", {"n_samples": 5}, "greater than or equal to 10"),
    ],
)
def test_inconsistent_params_are_refused_early(name: str, params: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        REGISTRY.get(f"datasets.{name}").params_model(**params)
