"""XGBoost gradient-boosted trees for classification, with progress per boosting round."""

from __future__ import annotations

from components.library.training._xgboost import EXAMPLE, PORTS, XGBoostParams, train_xgboost
from components.sdk import Context, Model, Table, component


@component(
    id="training.xgboost_classifier",
    category="Training",
    title="XGBoost classifier",
    tags=("classification", "tree", "ensemble", "boosting", "xgboost"),
    ports=PORTS,
    example=EXAMPLE,
)
def xgboost_classifier(table: Table, params: XGBoostParams, ctx: Context) -> Model:
    """Gradient-boosted trees (XGBoost) for classification; often the most accurate on tables.

    Trains on the numeric ``features`` columns (empty = every column except ``target``); missing
    feature values are allowed. Labels of any type work: the model predicts the original labels.
    ``random_state`` left empty uses the run's seed. Progress is reported per boosting round.
    """
    return train_xgboost("classification", table, params, ctx)
