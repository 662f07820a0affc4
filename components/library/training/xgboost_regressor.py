"""XGBoost gradient-boosted trees for regression, with progress per boosting round."""

from __future__ import annotations

from components.library.training._xgboost import (
    EXAMPLE,
    PORTS,
    XGBoostRegressorParams,
    train_xgboost,
)
from components.sdk import Context, Model, Table, component


@component(
    id="training.xgboost_regressor",
    category="Training",
    title="XGBoost regressor",
    tags=("regression", "tree", "ensemble", "boosting", "xgboost"),
    ports=PORTS,
    example=EXAMPLE,
)
def xgboost_regressor(table: Table, params: XGBoostRegressorParams, ctx: Context) -> Model:
    """Gradient-boosted trees (XGBoost) for regression of a numeric ``target``.

    Trains on the numeric ``features`` columns (empty = every column except ``target``); missing
    feature values are allowed. ``random_state`` left empty uses the run's seed. Progress is
    reported per boosting round.
    """
    return train_xgboost("regression", table, params, ctx)
