"""Iris flowers: 150 rows, 4 numeric features, 3 classes."""

from __future__ import annotations

from components.library.datasets._bundled import bundled_schema, load_bundled
from components.sdk import Table, component


@component(
    id="datasets.iris",
    category="Data sets",
    title="Iris",
    tags=("classification", "sample"),
    schema=lambda inputs, params: {"table": bundled_schema("iris")},
)
def iris() -> Table:
    """Iris flowers: 150 rows, 4 numeric measurements, 3 species in ``target``.

    Bundled with scikit-learn; column names have spaces replaced by underscores.
    """
    return load_bundled("iris")
