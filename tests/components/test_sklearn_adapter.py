"""The scikit-learn adapter: constraints -> Params (bounds, enums, nullables, hidden params,
defaults), the snapshot that keeps catalogue loading free of scikit-learn, and the allowlist."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

import components.library.training  # noqa: F401 - registers the trainers
from components.adapters.sklearn import (
    ADAPTER_FORMAT,
    SEED_MAX,
    describe_estimator,
    import_estimator,
    installed_version,
    load_descriptions,
    param_docs,
    snapshot_payload,
)
from components.library.training.sklearn_estimators import ESTIMATORS, SNAPSHOT
from components.sdk import REGISTRY

ENTRIES = {e.id: e for e in ESTIMATORS}


def _params(component_id: str, **values: Any) -> Any:
    model = REGISTRY.get(component_id).params_model
    base = {"target": "target"} if "target" in model.model_fields else {}
    return model.model_validate({**base, **values})


def _schema(component_id: str) -> dict[str, Any]:
    return REGISTRY.get(component_id).params_model.model_json_schema()["properties"]


def test_interval_bounds_become_json_schema_limits_and_are_enforced() -> None:
    props = _schema("training.logistic_regression")
    assert props["C"]["type"] == "number" and props["C"]["exclusiveMinimum"] == 0
    assert props["max_iter"]["type"] == "integer" and props["max_iter"]["minimum"] == 0
    assert _params("training.logistic_regression", C=0.5, max_iter=10).C == 0.5
    for bad in ({"C": 0}, {"C": -1.0}, {"max_iter": -1}, {"max_iter": 2.5}, {"l1_ratio": 1.5}):
        with pytest.raises(ValidationError):
            _params("training.logistic_regression", **bad)


def test_float_params_accept_json_integers_as_floats() -> None:
    params = _params("training.logistic_regression", C=2)
    assert params.C == 2.0 and isinstance(params.C, float)


def test_string_options_become_an_enum() -> None:
    props = _schema("training.logistic_regression")
    assert props["solver"]["type"] == "string" and "saga" in props["solver"]["enum"]
    assert _params("training.logistic_regression", solver="saga").solver == "saga"
    with pytest.raises(ValidationError, match="lbfgs"):
        _params("training.logistic_regression", solver="newton")


def test_none_makes_a_parameter_nullable_with_a_readable_any_of() -> None:
    assert _params("training.decision_tree_classifier", max_depth=None).max_depth is None
    assert _params("training.decision_tree_classifier", max_depth=3).max_depth == 3
    with pytest.raises(ValidationError):
        _params("training.decision_tree_classifier", max_depth=0)
    any_of = _schema("training.decision_tree_classifier")["max_features"]["anyOf"]
    assert {"enum": ["log2", "sqrt"], "type": "string"} in any_of
    assert {"type": "null"} in any_of
    assert {"type": "integer", "minimum": 1} in any_of


def test_fraction_choices_refuse_whole_numbers_so_counts_and_fractions_stay_apart() -> None:
    assert _params("training.decision_tree_classifier", min_samples_split=0.5).min_samples_split
    assert _params("training.decision_tree_classifier", min_samples_split=3).min_samples_split == 3
    with pytest.raises(ValidationError, match="fraction"):
        _params("training.decision_tree_classifier", min_samples_split=1)


def test_random_state_is_an_optional_seed() -> None:
    props = _schema("training.random_forest_classifier")["random_state"]
    assert props["default"] is None and {"type": "null"} in props["anyOf"]
    assert _params("training.random_forest_classifier", random_state=SEED_MAX).random_state
    for bad in (-1, SEED_MAX + 1, "0"):
        with pytest.raises(ValidationError):
            _params("training.random_forest_classifier", random_state=bad)


def test_hidden_object_and_execution_params_are_not_exposed() -> None:
    exposed = {e.id: set(REGISTRY.get(e.id).params_model.model_fields) for e in ESTIMATORS}
    assert "penalty" not in exposed["training.logistic_regression"]  # Hidden, "deprecated"
    assert "criterion" not in exposed["training.gradient_boosting_classifier"]  # Hidden
    assert "probability" not in exposed["training.svc"]  # default "deprecated"
    assert "monotonic_cst" not in exposed["training.decision_tree_classifier"]  # array-like
    assert "metric_params" not in exposed["training.knn_classifier"]  # dict
    assert "priors" not in exposed["training.gaussian_nb"]  # array-like
    # 1.0 (all features) would read back from a JavaScript form as the count 1
    assert "max_features" not in exposed["training.random_forest_regressor"]
    for names in exposed.values():
        assert not names & {"verbose", "n_jobs", "warm_start", "copy_X", "copy_x"}
    # a dict alternative is dropped but the string and None choices stay
    weight = _schema("training.logistic_regression")["class_weight"]["anyOf"]
    assert weight == [{"enum": ["balanced"], "type": "string"}, {"type": "null"}]


@pytest.mark.parametrize("entry", ESTIMATORS, ids=lambda e: e.id)
def test_defaults_are_the_estimators_own_and_valid(entry: Any) -> None:
    cls = import_estimator(entry.estimator)
    model = REGISTRY.get(entry.id).params_model
    defaults = _params(entry.id).model_dump(exclude={"target", "features"})
    assert defaults, entry.id
    own = cls().get_params()
    assert {k: own[k] for k in defaults} == defaults
    assert json.loads(json.dumps(defaults)) == defaults
    assert all(model.model_fields[k].description for k in defaults), entry.id
    cls(**defaults)  # the estimator takes them as they are


def test_descriptions_come_from_the_numpydoc_parameters_section() -> None:
    docs = param_docs(import_estimator("sklearn.linear_model.LogisticRegression"))
    assert docs["C"] == "Inverse of regularization strength; must be a positive float."
    assert docs["solver"] == "Algorithm to use in the optimization problem."


def test_snapshot_matches_live_introspection_of_the_installed_scikit_learn() -> None:
    live = json.loads(json.dumps(snapshot_payload([e.estimator for e in ESTIMATORS])))
    stored = json.loads(SNAPSHOT.read_text())
    assert stored == live, (
        "sklearn_params.json is stale; refresh it with: python -m components.adapters.sklearn "
        "components.library.training.sklearn_estimators"
    )


def test_a_snapshot_for_another_scikit_learn_version_is_ignored(tmp_path: Path) -> None:
    path = "sklearn.naive_bayes.GaussianNB"
    marker = [{"name": "marker", "default": 1, "nullable": False, "choices": [{"kind": "int"}],
               "description": ""}]
    snapshot = tmp_path / "snapshot.json"
    for version, expected in ((installed_version(), marker), ("0.1", None)):
        payload = {"format": ADAPTER_FORMAT, "scikit-learn": version, "estimators": {path: marker}}
        snapshot.write_text(json.dumps(payload))
        found = load_descriptions([path], snapshot)[path]
        assert found == (expected or describe_estimator(import_estimator(path)))


def test_describe_estimator_introspects_a_class_directly() -> None:
    described = {d["name"]: d for d in describe_estimator(import_estimator("sklearn.svm.SVC"))}
    assert described["kernel"]["choices"][0]["kind"] == "enum"  # callable alternative dropped
    assert described["gamma"]["default"] == "scale"


def test_loading_the_training_category_does_not_import_scikit_learn_or_xgboost() -> None:
    code = (
        "import sys, time; import components.sdk; t = time.perf_counter(); "
        "import components.library.training; "
        "print(time.perf_counter() - t, 'sklearn' in sys.modules, 'xgboost' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    ).stdout.split()
    assert out[1:] == ["False", "False"]
    assert float(out[0]) < 0.5


def test_allowlist_names_public_estimators_and_reports_unlisted_ones() -> None:
    from sklearn.utils import all_estimators

    kinds = {"classification": "classifier", "regression": "regressor", "clustering": "cluster"}
    listed = {e.class_name for e in ESTIMATORS}
    for entry in ESTIMATORS:
        public = dict(all_estimators(type_filter=kinds[entry.task]))
        assert public.get(entry.class_name) is import_estimator(entry.estimator), entry.id
    unlisted = sorted(
        name
        for name, _ in all_estimators(type_filter=["classifier", "regressor"])
        if name not in listed
    )
    print(f"{len(unlisted)} scikit-learn classifiers/regressors not in the allowlist: {unlisted}")
    warnings.warn(f"not in the training allowlist: {', '.join(unlisted)}", stacklevel=1)
