"""Model training: scikit-learn estimators (generated from an allowlist) and XGBoost."""
