"""Steps every trainer shares, scikit-learn or not: pick and check the training columns, fit with
progress (each report also a cancellation point), wrap the fitted estimator in a ``FittedModel``."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from components.sdk import Context, FittedModel
from components.sdk.schema import NUMERIC_KINDS, kind_of_dtype

TASKS = ("classification", "regression", "clustering")
PROGRESS = ("none", "monitor", "warm_start")
CATEGORY = "Training"
FEATURES_HELP = "Input columns (numeric); empty = every column except the target"
TARGET_HELP = "The column to predict"
EXAMPLE_FEATURES = ["f0", "f1", "f2", "f3"]  # the contract test's fixture columns


# columns and checks ---------------------------------------------------------------------------
def feature_columns(table: Any, target: str | None, features: Sequence[str]) -> list[str]:
    """The feature columns to train on, after checking they exist and are numeric."""
    names = [str(c) for c in table.columns]
    if target is not None and target not in names:
        raise ValueError(f"target column {target!r} is not in the table; choose one of {names}")
    missing = [c for c in features if c not in names]
    if missing:
        raise ValueError(f"feature column(s) {missing} are not in the table; it has {names}")
    if len(set(features)) != len(features):
        raise ValueError("features lists a column more than once; list each column once")
    if target is not None and target in features:
        raise ValueError(f"the target {target!r} is also listed in features; remove it there")
    chosen = list(features) or [c for c in names if c != target]
    if not chosen:
        raise ValueError("the table has no columns to train on besides the target")
    non_numeric = [c for c in chosen if kind_of_dtype(table[c].dtype) not in NUMERIC_KINDS]
    if non_numeric:
        raise ValueError(
            f"feature column(s) {non_numeric} are not numeric; encode them first with "
            "preprocessing.one_hot_encoder, or leave them out of `features`"
        )
    if len(table) == 0:
        raise ValueError("the training table has no rows")
    return chosen


def check_missing(frame: Any, allow_nan: bool) -> None:
    """Refuse missing feature values when the estimator cannot handle them."""
    counts = frame.isna().sum()
    bad = {str(c): int(n) for c, n in counts.items() if n}
    if bad and not allow_nan:
        raise ValueError(
            f"feature column(s) have missing values {bad} (column: count); fill them with "
            "preprocessing.fill_missing or drop those rows with preprocessing.filter_rows"
        )


def check_target(y: Any, target: str, task: str) -> None:
    """Refuse targets that cannot work for ``task`` (missing values, wrong kind, one class)."""
    if y.isna().any():
        raise ValueError(
            f"target column {target!r} has {int(y.isna().sum())} missing value(s); drop those "
            "rows first with preprocessing.filter_rows (op not_null)"
        )
    kind = kind_of_dtype(y.dtype)
    if task == "regression" and kind not in ("int", "float"):
        raise ValueError(
            f"target column {target!r} is not numeric ({kind}); regression predicts numbers, "
            "use a classifier for labels"
        )
    if task == "classification":
        if kind == "float" and not all(math.isfinite(v) and v == int(v) for v in y.unique()):
            raise ValueError(
                f"target column {target!r} holds continuous numbers; use a regressor, "
                "or turn the values into classes first"
            )
        if y.nunique() < 2:
            raise ValueError(
                f"target column {target!r} has a single class; a classifier needs at least two"
            )


def training_data(
    table: Any, target: str | None, features: Sequence[str], task: str, allow_nan: bool
) -> tuple[Any, Any, list[str]]:
    """``(X, y, feature names)`` for ``task``; ``y`` is None for clustering."""
    chosen = feature_columns(table, target, features)
    x = table[chosen]
    check_missing(x, allow_nan)
    if target is None:
        return x, None, chosen
    y = table[target]
    check_target(y, target, task)
    return x, y, chosen


def log_training(ctx: Context, what: str, x: Any, target: str | None) -> None:
    about = f", target {target!r}" if target is not None else ""
    ctx.log(f"training {what} on {len(x)} rows x {x.shape[1]} features{about}")


def fitted_model(
    estimator: Any, features: Sequence[str], target: str | None, task: str, rows: int
) -> FittedModel:
    """Wrap a fitted estimator; classifiers keep their classes as plain Python values and
    always predict those labels themselves (``label_encoded`` False)."""
    classes: tuple[Any, ...] = ()
    info: dict[str, Any] = {"rows": rows}
    if task == "classification":
        import numpy as np

        classes = tuple(np.asarray(estimator.classes_).tolist())
        info["label_encoded"] = False
    return FittedModel(estimator, tuple(features), target, task, classes, info)


class LabelDecodingClassifier:
    """A classifier trained on class codes 0..k-1 whose ``predict`` returns the original labels."""

    def __init__(self, estimator: Any, classes: Any) -> None:
        import numpy as np

        self.estimator = estimator
        self.classes_ = np.asarray(classes)

    def predict(self, x: Any) -> Any:
        import numpy as np

        return self.classes_[np.asarray(self.estimator.predict(x)).astype(int)]

    def predict_proba(self, x: Any) -> Any:
        return self.estimator.predict_proba(x)

    def __getattr__(self, name: str) -> Any:  # feature_importances_, n_features_in_, ...
        if name.startswith("__") or name in ("estimator", "classes_"):
            raise AttributeError(name)
        return getattr(self.estimator, name)


# fitting ------------------------------------------------------------------------------------
def fit_with_progress(estimator: Any, x: Any, y: Any, ctx: Context, strategy: str) -> None:
    """Fit, reporting progress (each report is also a cancellation point).

    ``monitor``: per boosting stage through ``fit(monitor=...)`` (gradient boosting);
    ``warm_start``: grow the ensemble in ten steps (``n_estimators`` or ``max_iter``), the same
    model as one fit (forests, histogram gradient boosting, early stopping included);
    ``none``: start and end only.
    """
    args = (x,) if y is None else (x, y)
    params = estimator.get_params(deep=False)
    balanced = params.get("class_weight") in ("balanced", "balanced_subsample")
    if strategy == "monitor":
        total = int(params["n_estimators"])
        done = [0]

        def monitor(stage: int, _estimator: Any, _locals: Any) -> bool:
            done[0] = stage + 1
            ctx.progress(stage + 1, total, f"stage {stage + 1} of {total}")
            return False

        ctx.progress(0, total, "training")
        estimator.fit(*args, monitor=monitor)
        if done[0] < total:  # stopped early (n_iter_no_change)
            ctx.progress(total, total, f"stopped early after {done[0]} stages")
    elif strategy == "warm_start" and not params.get("oob_score") and not balanced:
        size = "n_estimators" if "n_estimators" in params else "max_iter"
        unit = "estimators" if size == "n_estimators" else "iterations"
        total = int(params[size])
        step = max(1, math.ceil(total / 10))
        ctx.progress(0, total, "training")
        estimator.set_params(warm_start=True)
        try:
            for n in [*range(step, total, step), total]:
                estimator.set_params(**{size: n}).fit(*args)
                done = getattr(estimator, "n_iter_", n)  # forests have no n_iter_
                if done < total and _stopped_early(estimator, n):
                    ctx.progress(total, total, f"stopped early after {done} {unit}")
                    break
                ctx.progress(n, total, f"{n} of {total} {unit}")
        finally:
            estimator.set_params(warm_start=False, **{size: total})
    else:
        ctx.progress(0, 1, "training")
        estimator.fit(*args)
        ctx.progress(1, 1, "done")


def _stopped_early(estimator: Any, n: int) -> bool:
    """Whether a warm-started boosting fit up to ``n`` iterations ended (or, at exactly ``n``,
    would have ended) by early stopping, so that growing it further would differ from one fit."""
    done = getattr(estimator, "n_iter_", n)  # forests have no n_iter_
    if done < n:
        return True
    if not getattr(estimator, "do_early_stopping_", False):
        return False
    # Stopping after exactly n iterations is only visible in the scores: repeat the check that
    # the single fit would have made after iteration n (HistGradientBoosting*).
    use_val = getattr(estimator, "_use_validation_data", False)
    scores = estimator.validation_score_ if use_val else estimator.train_score_
    should_stop = getattr(estimator, "_should_stop", None)
    return bool(should_stop(scores)) if should_stop is not None else False
