"""Cleaning, scaling, encoding and splitting tables."""

from components.library.preprocessing import (  # noqa: F401
    apply_transformer,
    concat_rows,
    drop_columns,
    fill_missing,
    filter_rows,
    min_max_scaler,
    one_hot_encoder,
    pca,
    select_columns,
    select_k_best,
    standard_scaler,
    train_test_split,
)
