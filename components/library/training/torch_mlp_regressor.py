"""A PyTorch multi-layer perceptron for regression, with progress per epoch; runs on a GPU."""

from __future__ import annotations

from components.library.training._torch import (
    EXAMPLE,
    PORTS,
    TorchMLPRegressorParams,
    train_mlp,
)
from components.sdk import Context, Model, Table, component


@component(
    id="training.torch_mlp_regressor",
    category="Training",
    title="Neural network regressor (PyTorch)",
    tags=("regression", "neural network", "mlp", "deep learning", "pytorch"),
    resources="gpu",
    ports=PORTS,
    example=EXAMPLE,
)
def torch_mlp_regressor(table: Table, params: TorchMLPRegressorParams, ctx: Context) -> Model:
    """A fully connected neural network (PyTorch) that predicts a number.

    Trains on the numeric ``features`` columns (empty = every column except ``target``) with
    mean squared error, on the worker's GPU when there is one, else on the CPU. ``standardize``
    scales the features and the target (the loss is reported on that scale) and stores the
    scaling in the model, so predictions come back in the target's units. ``random_state`` left
    empty uses the run's seed: the same seed gives the same model on the CPU.
    """
    return train_mlp("regression", table, params, ctx)
