"""Wine data set bundled with scikit-learn."""

from __future__ import annotations

from components.library.datasets._bundled import bundled_schema, load_bundled
from components.sdk import Table, component


@component(
    id="datasets.wine",
    category="Data sets",
    title="Wine",
    tags=("classification", "sample"),
    schema=lambda inputs, params: {"table": bundled_schema("wine")},
)
def wine() -> Table:
    """178 wines, 13 chemical measurements, 3 cultivars in ``target``.

    Bundled with scikit-learn; column names have spaces replaced by underscores.
    """
    return load_bundled("wine")
