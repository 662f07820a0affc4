"""Diabetes data set bundled with scikit-learn."""

from __future__ import annotations

from components.library.datasets._bundled import bundled_schema, load_bundled
from components.sdk import Table, component


@component(
    id="datasets.diabetes",
    category="Data sets",
    title="Diabetes",
    tags=("regression", "sample"),
    schema=lambda inputs, params: {"table": bundled_schema("diabetes")},
)
def diabetes() -> Table:
    """442 patients, 10 scaled features, disease progression after one year in ``target``.

    Bundled with scikit-learn; column names have spaces replaced by underscores.
    """
    return load_bundled("diabetes")
