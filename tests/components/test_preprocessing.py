"""Behaviour of the preprocessing components beyond the contract test: splits, filters, encoders."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

import components.library
from components.sdk import Context, schema_of

REGISTRY = components.library.load()


def run(component_id: str, inputs: dict[str, Any], seed: int = 0, **params: Any) -> dict[str, Any]:
    spec = REGISTRY.get(component_id)
    return spec.call(inputs, spec.params_model(**params), Context(seed=seed))


def schema_names(component_id: str, inputs: dict[str, Any], **params: Any) -> dict[str, Any]:
    spec = REGISTRY.get(component_id)
    schemas = {
        k: [schema_of(t) for t in v] if isinstance(v, list) else schema_of(v)
        for k, v in inputs.items()
    }
    out = spec.schema_fn(schemas, spec.params_model(**params))  # type: ignore[misc]
    return {port: s if s is None else s.names for port, s in out.items()}


@pytest.fixture
def messy() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "x": [1.0, 2.0, np.nan, 4.0],
            "s": ["a", "b", None, "a"],  # pandas 3 infers the str dtype
            "code": ["7", "8", "7", "9"],
            "target": [0, 1, 0, 1],
        },
        index=[10, 11, 12, 13],
    )


def test_stratified_split_equals_sklearn_and_keeps_class_ratios() -> None:
    from sklearn.model_selection import train_test_split

    # given 80 rows of class 0 and 20 of class 1
    table = pd.DataFrame({"f": np.arange(100.0), "target": [0] * 80 + [1] * 20})
    # when
    out = run(
        "preprocessing.train_test_split",
        {"table": table},
        test_size=0.25,
        stratify_column="target",
        random_state=5,
    )
    # then
    train, test = train_test_split(table, test_size=0.25, stratify=table["target"], random_state=5)
    assert out["train"].equals(train) and out["test"].equals(test)
    assert (out["test"]["target"] == 1).sum() == 5 and (out["train"]["target"] == 1).sum() == 15


def test_split_without_random_state_uses_the_node_seed() -> None:
    from sklearn.model_selection import train_test_split

    table = pd.DataFrame({"f": np.arange(40.0)})
    first = run("preprocessing.train_test_split", {"table": table}, seed=1)
    other = run("preprocessing.train_test_split", {"table": table}, seed=2)
    assert first["test"].equals(train_test_split(table, random_state=1)[1])
    assert not first["test"].equals(other["test"])


def test_split_refuses_stratify_without_shuffle() -> None:
    spec = REGISTRY.get("preprocessing.train_test_split")
    with pytest.raises(ValidationError, match="shuffle"):
        spec.params_model(stratify_column="target", shuffle=False)


@pytest.mark.parametrize(
    ("column", "op", "value", "kept"),
    [
        ("x", ">", 1.5, [11, 13]),
        ("x", "<=", "2", [10, 11]),  # text typed into the form is read as a number
        ("x", "!=", 2, [10, 12, 13]),  # missing values satisfy != (pandas semantics)
        ("s", "==", "a", [10, 13]),
        ("s", "in", ["a", "b"], [10, 11, 13]),
        ("code", "==", 7, [10, 12]),  # a number compared with a text column as text
        ("x", "is_null", None, [12]),
        ("s", "not_null", None, [10, 11, 13]),
    ],
)
def test_filter_rows_ops(messy: pd.DataFrame, column: str, op: str, value: Any, kept: list) -> None:
    out = run("preprocessing.filter_rows", {"table": messy}, column=column, op=op, value=value)
    assert list(out["table"].index) == kept


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"column": "x", "op": ">"}, "needs a value"),
        ({"column": "x", "op": "<", "value": [1, 2]}, "only works with operator 'in'"),
        ({"column": "x", "op": "==", "value": "abc"}, "enter a number"),
        ({"column": "nope", "op": "is_null"}, "not in the input table"),
    ],
)
def test_filter_rows_explains_bad_params(messy: pd.DataFrame, params: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        run("preprocessing.filter_rows", {"table": messy}, **params)


def test_one_hot_encoder_ignores_unseen_categories_when_applied(messy: pd.DataFrame) -> None:
    # given an encoder fitted on s = a/b/missing
    fitted = run("preprocessing.one_hot_encoder", {"table": messy}, columns=["s"])
    assert list(fitted["table"].columns) == ["x", "code", "target", "s_a", "s_b", "s_nan"]
    # when applied to a table with an unseen value "z"
    other = pd.DataFrame(
        {"x": [0.0, 1.0], "s": ["z", "b"], "code": ["1", "2"], "target": [0, 0]}, index=[5, 6]
    )
    applied = {"transformer": fitted["transformer"], "table": other}
    out = run("preprocessing.apply_transformer", applied)["table"]
    # then
    assert out[["s_a", "s_b", "s_nan"]].to_numpy().tolist() == [[0, 0, 0], [0, 1, 0]]
    assert list(out.index) == [5, 6]


def test_one_hot_encoder_defaults_to_text_columns(messy: pd.DataFrame) -> None:
    out = run("preprocessing.one_hot_encoder", {"table": messy.drop(columns="s")})["table"]
    assert list(out.columns) == ["x", "target", "code_7", "code_8", "code_9"]


def test_fill_missing_keeps_dtypes_and_reuses_training_values(messy: pd.DataFrame) -> None:
    # mean for numbers: x mean of 1, 2, 4
    mean = run("preprocessing.fill_missing", {"table": messy})
    assert mean["table"]["x"].tolist() == [1.0, 2.0, 7 / 3, 4.0]
    assert mean["table"].dtypes.equals(messy.dtypes) and mean["table"]["s"].isna().sum() == 1
    # most frequent for every column, applied to another table with the training values
    mode = run("preprocessing.fill_missing", {"table": messy}, strategy="most_frequent")
    assert mode["table"]["s"].tolist() == ["a", "b", "a", "a"]
    later = pd.DataFrame(
        {"x": [np.nan], "s": pd.Series([None], dtype="str"), "code": ["1"], "target": [0]}
    )
    applied = {"transformer": mode["transformer"], "table": later}
    out = run("preprocessing.apply_transformer", applied)["table"]
    assert out.iloc[0].tolist() == [1.0, "a", "1", 0] and out.dtypes.equals(messy.dtypes)


def test_fill_missing_constant_text_fills_only_text_columns(messy: pd.DataFrame) -> None:
    params = {"strategy": "constant", "fill_value": "?"}
    out = run("preprocessing.fill_missing", {"table": messy}, **params)["table"]
    assert out["s"].tolist() == ["a", "b", "?", "a"] and out["x"].isna().sum() == 1


def test_fill_missing_explains_impossible_strategy(messy: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="cannot fill column 's'"):
        run("preprocessing.fill_missing", {"table": messy}, columns=["s"], strategy="mean")


@pytest.mark.parametrize("scaler", ["standard_scaler", "min_max_scaler"])
def test_scalers_leave_excluded_columns_alone(messy: pd.DataFrame, scaler: str) -> None:
    table = messy.assign(y=[1.0, 5.0, 3.0, 2.0])
    params = {"exclude": ["target"]}
    out = run(f"preprocessing.{scaler}", {"table": table}, **params)
    assert out["table"]["target"].tolist() == [0, 1, 0, 1]
    assert out["transformer"].columns == ("x", "y")
    assert schema_names(f"preprocessing.{scaler}", {"table": table}, **params)["table"] == list(
        out["table"].columns
    )
    assert schema_of(out["table"]).get("target").kind == "int"


def test_min_max_scaler_maps_to_the_range() -> None:
    table = pd.DataFrame({"a": [2.0, 4.0, 6.0]})
    out = run("preprocessing.min_max_scaler", {"table": table}, feature_min=-1.0, feature_max=1.0)
    assert out["table"]["a"].tolist() == [-1.0, 0.0, 1.0]


def test_concat_rows_schema_matches_outer_and_inner_joins() -> None:
    first = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    second = pd.DataFrame({"b": ["z"], "c": [0.5]})
    for join in ("outer", "inner"):
        tables = {"tables": [first, second]}
        out = run("preprocessing.concat_rows", tables, join=join)["table"]
        spec = REGISTRY.get("preprocessing.concat_rows")
        schemas = {"tables": [schema_of(first), schema_of(second)]}
        params = spec.params_model(join=join)
        predicted = spec.schema_fn(schemas, params)["table"]  # type: ignore[misc]
        assert predicted == schema_of(out), join
        assert list(out.index) == list(range(len(out)))


def test_select_and_drop_columns(messy: pd.DataFrame) -> None:
    picked = run("preprocessing.select_columns", {"table": messy}, columns=["target", "x"])
    assert list(picked["table"].columns) == ["target", "x"]
    with pytest.raises(ValueError, match=r"\['nope'\] in 'columns' are not in the input table"):
        run("preprocessing.drop_columns", {"table": messy}, columns=["nope"])
