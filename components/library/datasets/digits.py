"""Digits data set bundled with scikit-learn."""

from __future__ import annotations

from components.library.datasets._bundled import bundled_schema, load_bundled
from components.sdk import Table, component


@component(
    id="datasets.digits",
    category="Data sets",
    title="Digits",
    tags=("classification", "sample"),
    schema=lambda inputs, params: {"table": bundled_schema("digits")},
)
def digits() -> Table:
    """1,797 8x8 images of hand-written digits as 64 pixel columns, the digit in ``target``.

    Bundled with scikit-learn; column names have spaces replaced by underscores.
    """
    return load_bundled("digits")
