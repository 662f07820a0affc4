"""Prediction, metrics and evaluation charts."""

from components.library.evaluation import (  # noqa: F401
    classification_metrics,
    clustering_metrics,
    confusion_matrix,
    feature_importance,
    histogram,
    predict,
    regression_metrics,
    roc_curve,
)
