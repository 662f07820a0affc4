"""Model training: scikit-learn estimators (generated from an allowlist) and XGBoost."""

from components.library.training import (  # noqa: F401
    sklearn_estimators,
    xgboost_classifier,
    xgboost_regressor,
)
