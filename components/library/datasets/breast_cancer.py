"""Breast cancer data set bundled with scikit-learn."""

from __future__ import annotations

from components.library.datasets._bundled import bundled_schema, load_bundled
from components.sdk import Table, component


@component(
    id="datasets.breast_cancer",
    category="Data sets",
    title="Breast cancer",
    tags=("classification", "sample"),
    schema=lambda inputs, params: {"table": bundled_schema("breast_cancer")},
)
def breast_cancer() -> Table:
    """569 tumours, 30 numeric features, benign (1) or malignant (0) in ``target``.

    Bundled with scikit-learn; column names have spaces replaced by underscores.
    """
    return load_bundled("breast_cancer")
