"""Shared loader for the data sets bundled with scikit-learn (no network, a few ms each)."""

from __future__ import annotations

import functools

import pandas as pd

from components.sdk import TableSchema, schema_of


@functools.cache
def _load(name: str) -> pd.DataFrame:
    from sklearn import datasets

    bunch = getattr(datasets, f"load_{name}")(as_frame=True)
    frame: pd.DataFrame = bunch.frame
    frame.columns = [str(c).replace(" ", "_").replace("(", "").replace(")", "") for c in frame]
    return frame


def load_bundled(name: str) -> pd.DataFrame:
    """A fresh copy of the bundled data set ``name`` with a ``target`` column."""
    return _load(name).copy()


def bundled_schema(name: str) -> TableSchema:
    return schema_of(_load(name))
