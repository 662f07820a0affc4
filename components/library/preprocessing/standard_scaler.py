"""Standardize numeric columns to zero mean and unit variance."""

from __future__ import annotations

from components.library.preprocessing._scaling import (
    SCALER_PORTS,
    ScalerOut,
    ScalingParams,
    fit_scaler,
    scaled_schema,
)
from components.sdk import Context, Table, component


class StandardScalerParams(ScalingParams):
    with_mean: bool = True
    with_std: bool = True


@component(
    id="preprocessing.standard_scaler",
    category="Preprocessing",
    title="Standard scaler",
    tags=("scaling", "normalize"),
    schema=scaled_schema,
    ports=SCALER_PORTS,
)
def standard_scaler(table: Table, params: StandardScalerParams, ctx: Context) -> ScalerOut:
    """Standardize numeric columns to zero mean and unit variance.

    Fits on the input table and outputs the scaled table plus the fitted scaler, so test data
    can be scaled with the training statistics (``preprocessing.apply_transformer``).
    """
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler(with_mean=params.with_mean, with_std=params.with_std)
    return fit_scaler(table, params, scaler, kind="standard scaler", ctx=ctx)
