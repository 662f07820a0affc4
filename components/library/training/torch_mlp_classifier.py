"""A PyTorch multi-layer perceptron for classification, with progress per epoch; runs on a GPU."""

from __future__ import annotations

from components.library.training._torch import EXAMPLE, PORTS, TorchMLPParams, train_mlp
from components.sdk import Context, Model, Table, component


@component(
    id="training.torch_mlp_classifier",
    category="Training",
    title="Neural network classifier (PyTorch)",
    tags=("classification", "neural network", "mlp", "deep learning", "pytorch"),
    resources="gpu",
    ports=PORTS,
    example=EXAMPLE,
)
def torch_mlp_classifier(table: Table, params: TorchMLPParams, ctx: Context) -> Model:
    """A fully connected neural network (PyTorch) that predicts class labels and probabilities.

    Trains on the numeric ``features`` columns (empty = every column except ``target``) with
    cross-entropy loss, on the worker's GPU when there is one, else on the CPU. Labels of any
    type work. ``standardize`` stores the feature scaling in the model, so ``evaluation.predict``
    takes raw columns. ``random_state`` left empty uses the run's seed: the same seed gives the
    same model on the CPU. Progress and the loss are reported per epoch.
    """
    return train_mlp("classification", table, params, ctx)
