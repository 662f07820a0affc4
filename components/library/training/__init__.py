"""Model training: scikit-learn estimators (generated from an allowlist), XGBoost and PyTorch."""

from components.library.training import (  # noqa: F401
    sklearn_estimators,
    torch_mlp_classifier,
    torch_mlp_regressor,
    xgboost_classifier,
    xgboost_regressor,
)
