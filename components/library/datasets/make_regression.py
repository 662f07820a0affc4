"""A random linear regression problem with Gaussian noise (sklearn make_regression)."""

from __future__ import annotations

from pydantic import Field, model_validator

from components.library.datasets._synthetic import (
    random_state_field,
    seed,
    synthetic_schema,
    to_table,
)
from components.sdk import Context, Params, Table, component


class MakeRegressionParams(Params):
    n_samples: int = Field(200, ge=10, le=1_000_000, description="Number of rows")
    n_features: int = Field(4, ge=1, le=1000, description="Number of feature columns")
    n_informative: int | None = Field(
        None, ge=1, le=1000, description="Features that carry the signal; empty = all"
    )
    noise: float = Field(10.0, ge=0.0, le=1e6, description="Standard deviation of the noise")
    bias: float = Field(0.0, ge=-1e6, le=1e6, description="Intercept of the linear model")
    random_state: int | None = random_state_field()

    @model_validator(mode="after")
    def _consistent(self) -> MakeRegressionParams:
        if self.n_informative is not None and self.n_informative > self.n_features:
            raise ValueError("n_informative must not exceed n_features")
        return self


@component(
    id="datasets.make_regression",
    category="Data sets",
    title="Synthetic regression",
    tags=("regression", "synthetic"),
    schema=lambda inputs, params: {"table": synthetic_schema(params.n_features, "float")},
)
def make_regression(params: MakeRegressionParams, ctx: Context) -> Table:
    """Random regression data: float columns ``x0..`` and a float ``target`` (linear + noise)."""
    from sklearn.datasets import make_regression as generate

    x, y = generate(
        n_samples=params.n_samples,
        n_features=params.n_features,
        n_informative=params.n_informative or params.n_features,
        noise=params.noise,
        bias=params.bias,
        random_state=seed(params.random_state, ctx),
    )
    return to_table(x, y)
