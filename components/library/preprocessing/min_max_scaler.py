"""Rescale numeric columns linearly into a range, by default [0, 1]."""

from __future__ import annotations

from pydantic import model_validator

from components.library.preprocessing._scaling import (
    SCALER_PORTS,
    ScalerOut,
    ScalingParams,
    fit_scaler,
    scaled_schema,
)
from components.sdk import Context, Table, component


class MinMaxScalerParams(ScalingParams):
    feature_min: float = 0.0
    feature_max: float = 1.0
    clip: bool = False

    @model_validator(mode="after")
    def _range(self) -> MinMaxScalerParams:
        if self.feature_min >= self.feature_max:
            raise ValueError("feature_min must be smaller than feature_max")
        return self


@component(
    id="preprocessing.min_max_scaler",
    category="Preprocessing",
    title="Min-max scaler",
    tags=("scaling", "normalize"),
    schema=scaled_schema,
    ports=SCALER_PORTS,
)
def min_max_scaler(table: Table, params: MinMaxScalerParams, ctx: Context) -> ScalerOut:
    """Rescale numeric columns linearly so the training minimum and maximum map to a range.

    ``clip`` keeps values of later tables (via ``preprocessing.apply_transformer``) inside it.
    """
    from sklearn.preprocessing import MinMaxScaler

    scaler = MinMaxScaler(feature_range=(params.feature_min, params.feature_max), clip=params.clip)
    note = f" into [{params.feature_min}, {params.feature_max}]"
    return fit_scaler(table, params, scaler, kind="min-max scaler", ctx=ctx, note=note)
