"""Shared parts of the PyTorch MLP trainers: parameters, device choice, the training loop and the
scikit-learn-style models they output. torch and numpy are imported only when a trainer runs."""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from pydantic import Field

from components.adapters.sklearn import SEED_DESCRIPTION, Seed
from components.adapters.training import (
    EXAMPLE_FEATURES,
    FEATURES_HELP,
    TARGET_HELP,
    fitted_model,
    log_training,
    training_data,
)
from components.library.training._torch_models import (
    TorchMLPClassifier,
    TorchMLPRegressor,
    build_network,
    one_cpu_thread,
)
from components.sdk import Context, FittedModel, Params, column, columns

EXAMPLE = {"target": "target", "features": list(EXAMPLE_FEATURES), "epochs": 5}
PORTS = {"table": "Training data", "model": "The fitted model; apply it with evaluation.predict"}
MAX_EPOCH_LOGS = 20  # log lines per run; epochs in between are summarised by progress only
CANCEL_CHECK_BATCHES = 64  # within an epoch, look for cancellation this often
EVAL_BATCH = 8192

Width = Annotated[int, Field(ge=1, le=4096)]


class TorchMLPParams(Params):
    target: str = column("table", description=TARGET_HELP)
    features: list[str] = columns("table", numeric=True, description=FEATURES_HELP)
    hidden_layers: list[Width] = Field(
        [64, 32],
        max_length=16,
        description="Units per hidden layer, input side first; empty = a linear model",
    )
    activation: Literal["relu", "tanh", "gelu"] = Field(
        "relu", description="Activation after each hidden layer."
    )
    dropout: float = Field(0.0, ge=0, lt=1, description="Dropout rate after each hidden layer.")
    epochs: int = Field(50, ge=1, le=10_000, description="Passes over the training rows.")
    batch_size: int = Field(32, ge=1, le=65_536, description="Rows per gradient step.")
    learning_rate: float = Field(1e-3, gt=0, le=10, description="Step size of the optimizer.")
    weight_decay: float = Field(0.0, ge=0, le=1, description="L2 penalty on the weights.")
    optimizer: Literal["adam", "sgd"] = Field(
        "adam", description="adam, or sgd (plain stochastic gradient descent, momentum 0.9)."
    )
    standardize: bool = Field(
        True,
        description="Scale features (and a regression target) with the training mean and "
        "standard deviation, stored in the model; off only for already scaled data.",
    )
    validation_fraction: float = Field(
        0.0,
        ge=0,
        lt=1,
        description="Fraction of rows held out to log a validation loss per epoch (no early "
        "stopping); these rows are not trained on.",
    )
    random_state: Seed | None = Field(None, description=SEED_DESCRIPTION)


class TorchMLPRegressorParams(TorchMLPParams):
    target: str = column("table", description=TARGET_HELP, numeric=True)


def resolve_device(ctx: Context, torch: Any) -> Any:
    """``ctx.device`` as a torch device; CUDA falls back to the CPU (with a warning) when this
    worker has no usable GPU."""
    try:
        device = torch.device(ctx.device or "cpu")
    except RuntimeError as exc:
        raise ValueError(
            f"unknown device {ctx.device!r} ({exc}); the runner should pass 'cpu' or 'cuda'"
        ) from exc
    if device.type == "cuda" and not torch.cuda.is_available():
        ctx.warning("a GPU was requested but this worker has no usable CUDA GPU; using the CPU")
        return torch.device("cpu")
    return device


# torch's global random generator (weight initialisation, dropout), deterministic-algorithms
# switch and thread count belong to the process: two trainings on threads of one process (inline
# mode runs nodes so) would draw from each other's seeded generator. One at a time per process;
# a worker's pool process runs one node at a time anyway.
_TRAINING = threading.Lock()
WAIT_CHECK_S = 0.5  # while waiting for another training, look for cancellation this often


@contextmanager
def _one_training_at_a_time(ctx: Context) -> Iterator[None]:
    if not _TRAINING.acquire(blocking=False):
        ctx.log("waiting for another PyTorch training in this process to finish")
        while not _TRAINING.acquire(timeout=WAIT_CHECK_S):
            ctx.check_cancelled()
    try:
        yield
    finally:
        _TRAINING.release()


@contextmanager
def _reproducible(torch: Any, seed: int, device: Any) -> Iterator[None]:
    """Seed torch inside a forked RNG state and prefer deterministic kernels, restoring both
    afterwards so other code in this worker process is unaffected."""
    cuda = []
    if device.type == "cuda":
        cuda = [torch.cuda.current_device() if device.index is None else device.index]
    enabled = torch.are_deterministic_algorithms_enabled()
    warn_only = torch.is_deterministic_algorithms_warn_only_enabled()
    with torch.random.fork_rng(devices=cuda):
        torch.manual_seed(seed)
        # warn_only: on a GPU, bit-exact cuBLAS also needs CUBLAS_WORKSPACE_CONFIG in the
        # worker's environment; without it torch warns instead of failing the run.
        torch.use_deterministic_algorithms(True, warn_only=True)
        try:
            yield
        finally:
            torch.use_deterministic_algorithms(enabled, warn_only=warn_only)


def _split(n: int, fraction: float, seed: int) -> tuple[Any, Any]:
    """Shuffled ``(train rows, validation rows)``; no validation rows when ``fraction`` is 0."""
    import numpy as np

    if fraction == 0:
        return np.arange(n), np.arange(0)
    n_val = max(1, round(n * fraction))
    if n - n_val < 1:
        raise ValueError(
            f"validation_fraction {fraction} leaves no training rows out of {n}; lower it"
        )
    order = np.random.default_rng(seed).permutation(n)
    return np.sort(order[n_val:]), np.sort(order[:n_val])


def _moments(values: Any) -> tuple[Any, Any]:
    """Mean and standard deviation per column; constant columns get a scale of 1."""
    import numpy as np

    mean = values.mean(axis=0)
    scale = values.std(axis=0)
    scale = np.where(np.isfinite(scale) & (scale > 0), scale, 1.0)
    return mean.astype(np.float32), scale.astype(np.float32)


def _should_log(epoch: int, epochs: int) -> bool:
    every = max(1, math.ceil(epochs / MAX_EPOCH_LOGS))
    return epoch == 1 or epoch == epochs or epoch % every == 0


def train_mlp(task: str, table: Any, params: TorchMLPParams, ctx: Context) -> FittedModel:
    """Fit a multi-layer perceptron for ``task`` with one progress report per epoch."""
    import numpy as np
    import torch

    x, y, features = training_data(table, params.target, params.features, task, allow_nan=False)
    log_training(ctx, f"PyTorch MLP {task}", x, params.target)
    seed = ctx.random_state if params.random_state is None else params.random_state
    device = resolve_device(ctx, torch)
    inputs = x.to_numpy(dtype=np.float32, copy=True)  # writable: torch shares the memory
    classes: Any = None
    if task == "classification":
        classes, codes = np.unique(y.to_numpy(), return_inverse=True)
        targets = codes.astype(np.int64)
    else:
        targets = y.to_numpy(dtype=np.float32, copy=True).reshape(-1, 1)
    train, val = _split(len(inputs), params.validation_fraction, seed)
    x_mean = x_scale = None
    y_mean, y_scale = np.zeros(1, np.float32), np.ones(1, np.float32)
    if params.standardize:
        x_mean, x_scale = _moments(inputs[train])
        inputs = (inputs - x_mean) / x_scale
        if task == "regression":
            y_mean, y_scale = _moments(targets[train])
            targets = (targets - y_mean) / y_scale
    n_out = len(classes) if task == "classification" else 1
    architecture = {
        "n_in": inputs.shape[1],
        "n_out": n_out,
        "hidden": list(params.hidden_layers),
        "activation": params.activation,
        "dropout": params.dropout,
    }
    where = f"{device} ({torch.cuda.get_device_name(device)})" if device.type == "cuda" else device
    ctx.log(
        f"device {where}; {len(train)} training, {len(val)} validation rows; "
        f"layers {[inputs.shape[1], *params.hidden_layers, n_out]}"
    )
    with _one_training_at_a_time(ctx), one_cpu_thread(torch), _reproducible(torch, seed, device):
        module = build_network(**architecture).to(device)
        losses = _fit(torch, module, (inputs, targets, train, val), task, params, seed, ctx)
    module.to("cpu").eval()
    if task == "classification":
        estimator: Any = TorchMLPClassifier(module, architecture, x_mean, x_scale, classes)
    else:
        y_moments = float(y_mean[0]), float(y_scale[0])
        estimator = TorchMLPRegressor(module, architecture, x_mean, x_scale, *y_moments)
    model = fitted_model(estimator, features, params.target, task, len(x))
    model.info.update(device=str(device), epochs=params.epochs, **losses)
    return model


def _fit(
    torch: Any,
    module: Any,
    data: tuple[Any, Any, Any, Any],
    task: str,
    params: TorchMLPParams,
    seed: int,
    ctx: Context,
) -> dict[str, float]:
    """The epoch loop; returns the last epoch's losses. ``ctx.progress`` raises ``Cancelled``.

    ``data`` is ``(inputs, targets, training rows, validation rows)`` as numpy arrays; all of it
    moves to the module's device once, so batches never cross the bus.
    """
    device = next(module.parameters()).device
    inputs, targets, train, val = (torch.from_numpy(a).to(device) for a in data)
    x_train, y_train = inputs[train], targets[train]
    x_val, y_val = inputs[val], targets[val]
    loss_fn = torch.nn.CrossEntropyLoss() if task == "classification" else torch.nn.MSELoss()
    options = {"lr": params.learning_rate, "weight_decay": params.weight_decay}
    if params.optimizer == "adam":
        optimizer = torch.optim.Adam(module.parameters(), **options)
    else:
        optimizer = torch.optim.SGD(module.parameters(), momentum=0.9, **options)
    shuffler = torch.Generator().manual_seed(seed)  # on the CPU: the same order on any device
    n, size, epochs = len(train), params.batch_size, params.epochs
    losses: dict[str, float] = {}
    ctx.progress(0, epochs, "training")
    for epoch in range(1, epochs + 1):
        module.train()
        order = torch.randperm(n, generator=shuffler).to(device)
        total = torch.zeros((), device=device)
        for batch, start in enumerate(range(0, n, size)):
            rows = order[start : start + size]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(module(x_train[rows]), y_train[rows])
            loss.backward()
            optimizer.step()
            total += loss.detach() * len(rows)
            if batch % CANCEL_CHECK_BATCHES == CANCEL_CHECK_BATCHES - 1:
                ctx.check_cancelled()
        losses["train_loss"] = total.item() / n  # one device sync per epoch
        if not math.isfinite(losses["train_loss"]):
            raise ValueError(
                f"the training loss became {losses['train_loss']} in epoch {epoch}; lower "
                "learning_rate, or turn standardize on"
            )
        text = f"epoch {epoch}: loss {losses['train_loss']:.4f}"
        if len(val):
            losses["val_loss"] = _evaluate(torch, module, x_val, y_val, loss_fn)
            text += f", validation loss {losses['val_loss']:.4f}"
        ctx.progress(epoch, epochs, text)
        if _should_log(epoch, epochs):
            ctx.log(f"{text} ({epoch}/{epochs})")
    return losses


def _evaluate(torch: Any, module: Any, x: Any, y: Any, loss_fn: Any) -> float:
    module.eval()
    total = torch.zeros((), device=x.device)
    with torch.inference_mode():
        for start in range(0, len(x), EVAL_BATCH):
            part = slice(start, start + EVAL_BATCH)
            total += loss_fn(module(x[part]), y[part]) * len(x[part])
    return float(total.item() / len(x))
