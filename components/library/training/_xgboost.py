"""Shared parts of the XGBoost trainers: hand-written parameters, per-round progress, fitting.

XGBoost is imported only when a trainer runs, so loading the catalogue stays fast.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from components.adapters.sklearn import SEED_DESCRIPTION, Seed
from components.adapters.training import (
    EXAMPLE_FEATURES,
    FEATURES_HELP,
    TARGET_HELP,
    LabelDecodingClassifier,
    fitted_model,
    log_training,
    training_data,
)
from components.sdk import Context, FittedModel, Params, column, columns

EXAMPLE = {"target": "target", "features": list(EXAMPLE_FEATURES)}
PORTS = {"table": "Training data", "model": "The fitted model; apply it with evaluation.predict"}


class XGBoostParams(Params):
    target: str = column("table", description=TARGET_HELP)
    features: list[str] = columns("table", numeric=True, description=FEATURES_HELP)
    n_estimators: int = Field(100, ge=1, le=10_000, description="Number of boosting rounds.")
    max_depth: int = Field(6, ge=1, le=32, description="Maximum depth of each tree.")
    learning_rate: float = Field(
        0.3, gt=0, le=1, description="Weight of each new tree; smaller needs more rounds."
    )
    subsample: float = Field(1.0, gt=0, le=1, description="Fraction of rows sampled per tree.")
    colsample_bytree: float = Field(
        1.0, gt=0, le=1, description="Fraction of feature columns sampled per tree."
    )
    reg_lambda: float = Field(1.0, ge=0, description="L2 regularization of the leaf weights.")
    random_state: Seed | None = Field(None, description=SEED_DESCRIPTION)


class XGBoostRegressorParams(XGBoostParams):
    target: str = column("table", description=TARGET_HELP, numeric=True)


def _progress_callback(ctx: Context, total: int) -> Any:
    from xgboost.callback import TrainingCallback

    class Progress(TrainingCallback):  # type: ignore[misc]
        """Reports each boosting round; ``ctx.progress`` raises ``Cancelled`` to stop training."""

        def after_iteration(self, model: Any, epoch: int, evals_log: Any) -> bool:
            ctx.progress(epoch + 1, total, f"round {epoch + 1} of {total}")
            return False

    return Progress()


def _class_codes(labels: Any) -> tuple[Any, Any, bool]:
    """``(classes, codes 0..k-1, whether the labels were already those codes)``."""
    import numpy as np

    classes = np.unique(labels)
    codes = np.searchsorted(classes, labels)
    plain = all(
        isinstance(c, int | np.integer) and not isinstance(c, bool | np.bool_) for c in classes
    ) and classes.tolist() == list(range(len(classes)))
    return classes, codes, plain


def train_xgboost(task: str, table: Any, params: XGBoostParams, ctx: Context) -> FittedModel:
    """Fit an XGBoost classifier or regressor with one progress report per boosting round."""
    import xgboost

    x, y, features = training_data(table, params.target, params.features, task, allow_nan=True)
    log_training(ctx, f"XGBoost {task}", x, params.target)
    total = params.n_estimators
    options = params.model_dump(exclude={"target", "features", "random_state"})
    seed = ctx.random_state if params.random_state is None else params.random_state
    cls = xgboost.XGBClassifier if task == "classification" else xgboost.XGBRegressor
    estimator = cls(
        **options,
        random_state=seed,
        n_jobs=1,
        tree_method="hist",
        verbosity=0,
        callbacks=[_progress_callback(ctx, total)],
    )
    labels = y.to_numpy()
    classes, plain = None, True
    if task == "classification":
        classes, labels, plain = _class_codes(labels)
    ctx.progress(0, total, "training")
    try:
        estimator.fit(x, labels)
    finally:
        estimator.set_params(callbacks=None)  # the callback holds the context: never pickle it
    model = estimator if plain else LabelDecodingClassifier(estimator, classes)
    return fitted_model(model, features, params.target, task, len(x))
