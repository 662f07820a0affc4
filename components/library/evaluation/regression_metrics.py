"""Error measures of a regressor's predictions: MAE, MSE, RMSE, R², MAPE."""

from __future__ import annotations

from typing import Any

from components.library.evaluation._common import finite_metrics, numeric_values
from components.sdk import Context, Metrics, Params, Table, column, component


class RegressionMetricsParams(Params):
    target: str = column(
        "table", default="target", numeric=True, description="Column with the true values"
    )
    prediction: str = column(
        "table", default="prediction", description="Column with the predicted values"
    )


@component(
    id="evaluation.regression_metrics",
    category="Evaluation",
    title="Regression metrics",
    tags=("mae", "mse", "rmse", "r2", "mape", "error", "score"),
    ports={"table": "A table with true and predicted values (output of evaluation.predict)"},
)
def regression_metrics(table: Table, params: RegressionMetricsParams, ctx: Context) -> Metrics:
    """Mean absolute error, (root) mean squared error, R² and mean absolute percentage error.

    MAPE is left out when a true value is 0 (it would be infinite); R² needs at least two rows.
    Values equal scikit-learn's ``sklearn.metrics`` functions.
    """
    from sklearn.metrics import (
        mean_absolute_error,
        mean_absolute_percentage_error,
        mean_squared_error,
        r2_score,
        root_mean_squared_error,
    )

    y_true = numeric_values(table, params.target, "target")
    y_pred = numeric_values(table, params.prediction, "prediction")
    if len(y_true) == 0:
        raise ValueError("the table has no rows; connect a table with predictions")
    metrics: dict[str, Any] = {
        "mae": mean_absolute_error(y_true, y_pred),
        "mse": mean_squared_error(y_true, y_pred),
        "rmse": root_mean_squared_error(y_true, y_pred),
    }
    if len(y_true) >= 2:
        metrics["r2"] = r2_score(y_true, y_pred)
    if (y_true == 0).any():
        ctx.log("mape left out: the target has zeros")
    else:
        metrics["mape"] = mean_absolute_percentage_error(y_true, y_pred)
    metrics["n_rows"] = len(y_true)
    return finite_metrics(metrics)
