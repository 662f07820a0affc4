"""A random classification problem: Gaussian clusters per class (sklearn make_classification)."""

from __future__ import annotations

from pydantic import Field, model_validator

from components.library.datasets._synthetic import (
    random_state_field,
    seed,
    synthetic_schema,
    to_table,
)
from components.sdk import Context, Params, Table, component


class MakeClassificationParams(Params):
    n_samples: int = Field(200, ge=10, le=1_000_000, description="Number of rows")
    n_features: int = Field(4, ge=2, le=1000, description="Number of feature columns")
    n_informative: int = Field(2, ge=1, le=1000, description="Features that carry the signal")
    n_redundant: int = Field(0, ge=0, le=1000, description="Linear mixes of informative ones")
    n_classes: int = Field(2, ge=2, le=100)
    n_clusters_per_class: int = Field(1, ge=1, le=20)
    class_sep: float = Field(1.0, gt=0.0, le=100.0, description="Larger = easier problem")
    flip_y: float = Field(0.01, ge=0.0, le=1.0, description="Fraction of labels set at random")
    random_state: int | None = random_state_field()

    @model_validator(mode="after")
    def _consistent(self) -> MakeClassificationParams:
        if self.n_informative + self.n_redundant > self.n_features:
            raise ValueError("n_informative + n_redundant must not exceed n_features")
        if self.n_classes * self.n_clusters_per_class > 2**self.n_informative:
            raise ValueError(
                "n_classes * n_clusters_per_class must be at most 2 ** n_informative; "
                "raise n_informative or lower the others"
            )
        return self


@component(
    id="datasets.make_classification",
    category="Data sets",
    title="Synthetic classification",
    tags=("classification", "synthetic"),
    schema=lambda inputs, params: {"table": synthetic_schema(params.n_features, "int")},
)
def make_classification(params: MakeClassificationParams, ctx: Context) -> Table:
    """Random classification data: float columns ``x0..``, integer class labels in ``target``."""
    from sklearn.datasets import make_classification as generate

    x, y = generate(
        n_samples=params.n_samples,
        n_features=params.n_features,
        n_informative=params.n_informative,
        n_redundant=params.n_redundant,
        n_classes=params.n_classes,
        n_clusters_per_class=params.n_clusters_per_class,
        class_sep=params.class_sep,
        flip_y=params.flip_y,
        random_state=seed(params.random_state, ctx),
    )
    return to_table(x, y)
