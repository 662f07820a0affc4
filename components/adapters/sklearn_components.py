"""Generated scikit-learn trainers: one allowlist entry -> one registered component.

The function is built here and registered through ``@component`` like a hand-written one; its
Params are ``target`` + ``features`` + the estimator's parameters (``components.adapters.sklearn``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from pydantic import create_model

from components.adapters.sklearn import ParamDescription, import_estimator, params_fields
from components.adapters.training import (
    CATEGORY,
    EXAMPLE_FEATURES,
    FEATURES_HELP,
    PROGRESS,
    TARGET_HELP,
    TASKS,
    fit_with_progress,
    fitted_model,
    log_training,
    training_data,
)
from components.sdk import Context, Model, Params, Registry, Table, column, columns, component
from components.sdk.decorator import RESERVED
from components.sdk.spec import SchemaFn


class ClusterOut(NamedTuple):
    model: Model
    table: Table


@dataclass(frozen=True)
class EstimatorEntry:
    """One allowlisted estimator: ``estimator`` is a dotted path, imported only when training."""

    id: str
    title: str
    estimator: str
    task: str
    summary: str
    tags: tuple[str, ...] = ()
    progress: str = "none"
    version: int = 1
    schema: SchemaFn | None = None

    def __post_init__(self) -> None:
        if self.task not in TASKS or self.progress not in PROGRESS:
            raise ValueError(f"{self.id}: task must be one of {TASKS}, progress one of {PROGRESS}")

    @property
    def name(self) -> str:
        return self.id.split(".", 1)[1]

    @property
    def class_name(self) -> str:
        return self.estimator.rpartition(".")[2]

    def doc(self) -> str:
        if self.task == "clustering":
            how = (
                f"Fits scikit-learn's ``{self.class_name}`` on the ``features`` columns (empty = "
                "every column); outputs the model and the table with an int ``cluster`` column."
            )
        else:
            how = (
                f"Fits scikit-learn's ``{self.class_name}`` on the numeric ``features`` columns "
                "(empty = every column except ``target``) to predict ``target``; connect the "
                "model to ``evaluation.predict``."
            )
        return f"{self.summary}\n\n{how} ``random_state`` left empty uses the run's seed."


SKIPPED = RESERVED | {"target", "features", "table"}  # names an estimator param may not take


def trainer_params(entry: EstimatorEntry, descriptions: list[ParamDescription], module: str) -> Any:
    """The Params model of a generated trainer: target, features, then the estimator's params."""
    fields: dict[str, Any] = {}
    if entry.task != "clustering":
        numeric = entry.task == "regression"
        fields["target"] = (str, column("table", description=TARGET_HELP, numeric=numeric))
    help_ = FEATURES_HELP if entry.task != "clustering" else "Input columns (numeric); empty = all"
    fields["features"] = (list[str], columns("table", numeric=True, description=help_))
    fields.update(params_fields(d for d in descriptions if d["name"] not in SKIPPED))
    model_name = "".join(part.title() for part in entry.name.split("_")) + "Params"
    return create_model(
        model_name, __base__=Params, __module__=module, __doc__=f"Parameters of {entry.title}.",
        **fields,
    )


def register_estimator(
    entry: EstimatorEntry,
    descriptions: list[ParamDescription],
    *,
    module: str,
    registry: Registry | None = None,
) -> Callable[..., Any]:
    """Build the trainer function for ``entry`` and register it through ``@component``."""
    params_model = trainer_params(entry, descriptions, module)
    names = tuple(n for n in params_model.model_fields if n not in ("target", "features"))

    def trainer(table: Any, params: Any, ctx: Context) -> Any:
        return train_estimator(entry, names, table, params, ctx)

    trainer.__name__ = trainer.__qualname__ = entry.name
    trainer.__module__ = module
    trainer.__doc__ = entry.doc()
    trainer.__annotations__ = {
        "table": Table,
        "params": params_model,
        "ctx": Context,
        "return": ClusterOut if entry.task == "clustering" else Model,
    }
    example: dict[str, Any] = {"features": list(EXAMPLE_FEATURES)}
    if entry.task != "clustering":
        example["target"] = "target"
    return component(
        id=entry.id,
        version=entry.version,
        category=CATEGORY,
        title=entry.title,
        tags=(entry.task, *entry.tags),
        schema=entry.schema,
        ports={
            "table": "Training data"
            + (" (out: with a `cluster` column)" if entry.task == "clustering" else ""),
            "model": "The fitted model; apply it with evaluation.predict",
        },
        example=example,
        registry=registry,
    )(trainer)


def train_estimator(
    entry: EstimatorEntry, names: Sequence[str], table: Any, params: Any, ctx: Context
) -> Any:
    """What every generated trainer runs: build the estimator, check the data, fit, wrap."""
    from sklearn.utils import get_tags

    kwargs = {n: getattr(params, n) for n in names}
    if "random_state" in kwargs and kwargs["random_state"] is None:
        kwargs["random_state"] = ctx.random_state
    estimator = import_estimator(entry.estimator)(**kwargs)
    target = getattr(params, "target", None)
    allow_nan = bool(get_tags(estimator).input_tags.allow_nan)
    x, y, features = training_data(table, target, params.features, entry.task, allow_nan)
    log_training(ctx, entry.class_name, x, target)
    fit_with_progress(estimator, x, y, ctx, entry.progress)
    model = fitted_model(estimator, features, target, entry.task, len(x))
    if entry.task == "clustering":
        labels = estimator.labels_.astype("int64")
        out = table.drop(columns="cluster", errors="ignore").assign(cluster=labels)
        return ClusterOut(model, out)
    return model
