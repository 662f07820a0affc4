"""Helpers shared by the evaluation components: column checks, class labels, probability columns
and JSON-safe values for metrics and Vega-Lite figures. No component is declared here."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
PROBABILITY_PREFIX = "probability_"


def require_columns(table: pd.DataFrame, names: Iterable[str], role: str) -> None:
    """Raise a ValueError naming the missing columns and the ones the table has."""
    missing = [n for n in names if n not in table.columns]
    if missing:
        have = [str(c) for c in table.columns]
        shown = ", ".join(have[:20]) + (f" and {len(have) - 20} more" if len(have) > 20 else "")
        raise ValueError(
            f"the table has no {role} column(s) {missing}; pick from its columns ({shown}) "
            "in the node's parameters, or connect a table that has them"
        )


def values_of(table: pd.DataFrame, name: str, role: str) -> np.ndarray:
    """Column ``name`` as a numpy array, refusing missing values with a hint how to fix them."""
    require_columns(table, [name], role)
    series = table[name]
    n_missing = int(series.isna().sum())
    if n_missing:
        raise ValueError(
            f"{role} column {name!r} has {n_missing} missing value(s); drop them with "
            "preprocessing.filter_rows (op not_null) or fill them with preprocessing.fill_missing"
        )
    return series.to_numpy()


def numeric_values(table: pd.DataFrame, name: str, role: str) -> np.ndarray:
    """Like ``values_of`` but the column must be numeric (returned as float)."""
    values = values_of(table, name, role)
    if not pd.api.types.is_numeric_dtype(table[name].dtype):
        raise ValueError(
            f"{role} column {name!r} is not numeric (dtype {table[name].dtype}); "
            "pick a numeric column"
        )
    return values.astype(float)


def plain(value: Any) -> Any:
    """A JSON-native copy of a numpy scalar (ints stay ints, floats stay floats)."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def label_key(label: Any) -> str:
    """The text form of a class label used in ``probability_<label>`` names (1.0 -> ``"1"``)."""
    label = plain(label)
    if isinstance(label, float) and label.is_integer():
        return str(int(label))
    return str(label)


def probability_column(label: Any) -> str:
    return f"{PROBABILITY_PREFIX}{label_key(label)}"


def class_labels(*arrays: np.ndarray) -> list[Any]:
    """Sorted distinct labels over all arrays, as JSON-native values."""
    kinds = {_label_kind(a) for a in arrays}
    if {"number", "text"} <= kinds:
        raise ValueError(
            "the target and prediction columns mix numbers and text; they must hold the same "
            "kind of labels (was the prediction made by a model trained on another target?)"
        )
    combined = np.concatenate([np.asarray(a, dtype=object) for a in arrays])
    labels = sorted({plain(v) for v in combined}, key=lambda v: (str(type(v)), v))
    return labels


def _label_kind(values: np.ndarray) -> str:
    inferred = pd.api.types.infer_dtype(values, skipna=True)
    if inferred in ("integer", "floating", "mixed-integer-float", "decimal", "boolean"):
        return "number"
    return "text" if inferred == "string" else inferred


def resolve_label(labels: Sequence[Any], wanted: Any, role: str) -> Any:
    """The label in ``labels`` that ``wanted`` names (``"1"`` matches 1), or a clear error."""
    for label in labels:
        if label_key(label) == label_key(wanted):
            return label
    raise ValueError(f"{role} {wanted!r} is not one of the labels {list(labels)}; pick one of them")


def default_positive(labels: Sequence[Any]) -> Any:
    """scikit-learn's default positive label 1 when present, else the last label in sort order."""
    for label in labels:
        if label_key(label) == "1":
            return label
    return labels[-1]


def finite_metrics(metrics: dict[str, Any]) -> dict[str, float]:
    """Plain floats; drops NaN/inf values (undefined metrics), which JSON cannot hold."""
    out: dict[str, float] = {}
    for name, value in metrics.items():
        number = float(value)
        if math.isfinite(number):
            out[name] = number
    return out
