"""Isotropic Gaussian blobs, for clustering or classification (sklearn make_blobs)."""

from __future__ import annotations

from pydantic import Field

from components.library.datasets._synthetic import (
    random_state_field,
    seed,
    synthetic_schema,
    to_table,
)
from components.sdk import Context, Params, Table, component


class MakeBlobsParams(Params):
    n_samples: int = Field(200, ge=10, le=1_000_000, description="Number of rows")
    n_features: int = Field(2, ge=1, le=1000, description="Number of feature columns")
    centers: int = Field(3, ge=1, le=100, description="Number of blobs")
    cluster_std: float = Field(1.0, gt=0.0, le=100.0, description="Spread of each blob")
    random_state: int | None = random_state_field()


@component(
    id="datasets.make_blobs",
    category="Data sets",
    title="Synthetic blobs",
    tags=("clustering", "classification", "synthetic"),
    schema=lambda inputs, params: {"table": synthetic_schema(params.n_features, "int")},
)
def make_blobs(params: MakeBlobsParams, ctx: Context) -> Table:
    """Gaussian blobs: float columns ``x0..`` and the blob number (0..centers-1) in ``target``."""
    from sklearn.datasets import make_blobs as generate

    x, y = generate(
        n_samples=params.n_samples,
        n_features=params.n_features,
        centers=params.centers,
        cluster_std=params.cluster_std,
        random_state=seed(params.random_state, ctx),
    )
    return to_table(x, y)
