"""The common checks every registered component must pass (scikit-learn's ``check_estimator`` idea).

Each component runs on small standard fixtures (one per port type), with its defaults merged with
its declared ``example`` params: metadata well formed, schema valid and JSON-serialisable, outputs of
the declared types, schema functions agree with real outputs, same seed -> same result.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import components.library
from components.sdk import Context, FittedModel, FittedTransformer, schema_of
from components.sdk.spec import ComponentSpec
from components.sdk.types import PORT_TYPES

REGISTRY = components.library.load()
SPECS = REGISTRY.all()


def _table() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = 60
    frame = pd.DataFrame({f"f{i}": rng.normal(size=n) for i in range(4)})
    frame["cat"] = pd.Series(np.array(["a", "b", "c"])[rng.integers(0, 3, n)], dtype="str")
    frame["target"] = (frame["f0"] + 0.5 * frame["f1"] + rng.normal(scale=0.5, size=n) > 0).astype(
        "int64"
    )
    frame["prediction"] = (frame["f0"] > 0).astype("int64")
    frame["probability_1"] = 1 / (1 + np.exp(-2 * frame["f0"]))
    return frame


def _model(table: pd.DataFrame) -> FittedModel:
    from sklearn.linear_model import LogisticRegression

    features = ("f0", "f1", "f2", "f3")
    est = LogisticRegression().fit(table[list(features)], table["target"])
    return FittedModel(est, features, "target", "classification", classes=(0, 1))


def _transformer(table: pd.DataFrame) -> FittedTransformer:
    from sklearn.preprocessing import StandardScaler

    cols = ("f0", "f1", "f2", "f3")
    return FittedTransformer(StandardScaler().fit(table[list(cols)]), cols, "standard scaler")


def _fixture(wire: str, table: pd.DataFrame) -> Any:
    return {
        "table": lambda: table.copy(),
        "model": lambda: _model(table),
        "transformer": lambda: _transformer(table),
        "metrics": lambda: {"accuracy": 0.5, "f1": 0.25},
        "figure": lambda: {"mark": "point", "data": {"values": [{"x": 1}]}},
        "text": lambda: "hello",
        "any": lambda: table.copy(),
    }[wire]()


def _inputs(spec: ComponentSpec, table: pd.DataFrame) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    for port in spec.inputs:
        if port.many:
            inputs[port.name] = [_fixture(port.type, table), _fixture(port.type, table)]
        else:
            inputs[port.name] = _fixture(port.type, table)
    return inputs


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    table = _table()
    table.to_csv(tmp_path / "example.csv", index=False)
    table.to_parquet(tmp_path / "example.parquet")
    return tmp_path


def _run(spec: ComponentSpec, data_dir: Path, seed: int = 0) -> tuple[dict[str, Any], Context]:
    params = spec.params_model.model_validate({**spec.param_defaults(), **spec.example_params})
    ctx = Context(node_id="n1", seed=seed, data_dir=data_dir)
    return spec.call(_inputs(spec, _table()), params, ctx), ctx


def _is_instance(wire: str, value: Any) -> bool:
    checks = {
        "table": lambda v: isinstance(v, pd.DataFrame),
        "model": lambda v: isinstance(v, FittedModel),
        "transformer": lambda v: isinstance(v, FittedTransformer),
        "metrics": lambda v: isinstance(v, dict)
        and all(isinstance(k, str) and isinstance(x, (int, float)) for k, x in v.items()),
        "figure": lambda v: isinstance(v, dict) and json.loads(json.dumps(v)) == v,
        "text": lambda v: isinstance(v, str),
    }
    return checks[wire](value)


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, pd.DataFrame):
        return a.equals(b)
    if isinstance(a, (FittedModel, FittedTransformer)):
        table = _table()
        if isinstance(a, FittedTransformer):
            return a.transform(table).equals(b.transform(table))
        cols = list(a.features)
        if hasattr(a.estimator, "predict"):
            return np.array_equal(a.estimator.predict(table[cols]), b.estimator.predict(table[cols]))
        return True
    return bool(a == b)


def test_catalogue_is_substantial() -> None:
    assert len(REGISTRY.latest()) >= 30, [s.id for s in SPECS]


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.id}@{s.version}")
def test_metadata_is_well_formed(spec: ComponentSpec) -> None:
    assert re.fullmatch(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*", spec.id)
    assert spec.version >= 1 and spec.title and spec.category
    assert spec.description and not spec.description.endswith(" ")
    assert spec.resources in ("cpu", "gpu")
    assert all(p.type in PORT_TYPES for p in spec.inputs + spec.outputs)
    assert all(p.type != "any" for p in spec.outputs)
    described = json.loads(json.dumps(spec.describe()))
    assert described["params_schema"]["type"] == "object"


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.id}@{s.version}")
def test_default_params_round_trip_through_json(spec: ComponentSpec) -> None:
    params = spec.params_model.model_validate({**spec.param_defaults(), **spec.example_params})
    dumped = json.loads(json.dumps(params.model_dump(mode="json")))
    assert spec.params_model.model_validate(dumped) == params


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.id}@{s.version}")
def test_runs_on_tiny_data_with_declared_output_types(spec: ComponentSpec, data_dir: Path) -> None:
    if spec.resources == "gpu":
        pytest.importorskip("torch")
    outputs, _ = _run(spec, data_dir)
    assert set(outputs) == {p.name for p in spec.outputs}
    for port in spec.outputs:
        assert _is_instance(port.type, outputs[port.name]), (spec.id, port.name)


@pytest.mark.parametrize(
    "spec", [s for s in SPECS if s.schema_fn is not None], ids=lambda s: f"{s.id}@{s.version}"
)
def test_schema_function_agrees_with_real_outputs(spec: ComponentSpec, data_dir: Path) -> None:
    params = spec.params_model.model_validate({**spec.param_defaults(), **spec.example_params})
    table = _table()
    in_schemas = {p.name: schema_of(table) for p in spec.inputs if p.type == "table"}
    predicted = spec.schema_fn(in_schemas, params)  # type: ignore[misc]
    outputs, _ = _run(spec, data_dir)
    for port, schema in predicted.items():
        if schema is not None:
            assert schema.names == list(outputs[port].columns), (spec.id, port)


@pytest.mark.parametrize(
    "spec", [s for s in SPECS if s.deterministic], ids=lambda s: f"{s.id}@{s.version}"
)
def test_same_seed_gives_same_result(spec: ComponentSpec, data_dir: Path) -> None:
    first, _ = _run(spec, data_dir, seed=3)
    second, _ = _run(spec, data_dir, seed=3)
    for port in first:
        assert _equal(first[port], second[port]), (spec.id, port)
