"""Distribution of one column as a Vega-Lite chart: binned counts, or counts per category."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from pydantic import Field

from components.library.evaluation._common import VEGA_LITE_SCHEMA, plain, require_columns
from components.sdk import Context, Figure, Params, Table, column, component

MAX_CATEGORIES = 50


class HistogramParams(Params):
    column: str = column("table", description="The column whose distribution to draw")
    bins: int = Field(20, ge=1, le=500, description="Number of bins for a numeric column")


def _numeric_rows(values: np.ndarray, bins: int) -> list[dict[str, Any]]:
    counts, edges = np.histogram(values, bins=bins)
    return [
        {"bin_start": float(edges[i]), "bin_end": float(edges[i + 1]), "count": int(counts[i])}
        for i in range(len(counts))
    ]


def _category_rows(series: pd.Series) -> list[dict[str, Any]]:
    counts = series.value_counts(sort=True)
    return [{"value": plain(v), "count": int(c)} for v, c in counts.head(MAX_CATEGORIES).items()]


@component(
    id="evaluation.histogram",
    category="Evaluation",
    title="Histogram",
    tags=("chart", "distribution", "explore"),
    example={"column": "f0"},
    ports={"table": "Any table"},
)
def histogram(table: Table, params: HistogramParams, ctx: Context) -> Figure:
    """Histogram of a numeric column, or a bar chart of the most frequent values of another.

    Missing values are left out (the log says how many). Text columns show their
    50 most frequent values.
    """
    require_columns(table, [params.column], "histogram")
    series = table[params.column]
    n_missing = int(series.isna().sum())
    if n_missing:
        ctx.log(f"left out {n_missing} missing value(s)")
    series = series.dropna()
    numeric = pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(
        series.dtype
    )
    spec: dict[str, Any] = {
        "$schema": VEGA_LITE_SCHEMA,
        "title": f"Distribution of {params.column}",
        "width": 400,
        "height": 250,
        "mark": {"type": "bar", "tooltip": True},
    }
    if numeric:
        spec["data"] = {"values": _numeric_rows(series.to_numpy(dtype=float), params.bins)}
        spec["encoding"] = {
            "x": {"field": "bin_start", "type": "quantitative", "bin": {"binned": True},
                  "title": params.column},
            "x2": {"field": "bin_end"},
            "y": {"field": "count", "type": "quantitative", "title": "Rows"},
        }
    else:
        spec["data"] = {"values": _category_rows(series)}
        spec["encoding"] = {
            "x": {"field": "value", "type": "nominal", "sort": "-y", "title": params.column},
            "y": {"field": "count", "type": "quantitative", "title": "Rows"},
        }
    return spec
