"""The fitted PyTorch MLP models that travel inside ``FittedModel``: scikit-learn-style wrappers
(``predict``, ``predict_proba``, ``classes_``) around a CPU ``torch.nn.Sequential``.

They pickle with joblib like any estimator (the artifact store keeps ``.joblib`` for them) as
the architecture plus the weights in numpy arrays: the bytes depend only on the values, so a rerun
stores the same artifact (pickled torch tensors differ from process to process), and no torch
pickle format is involved. Their import path is part of every stored model: keep it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

PREDICT_BATCH = 65_536  # rows per forward pass when predicting


@contextmanager
def one_cpu_thread(torch: Any) -> Iterator[None]:
    """Run torch on one CPU thread, then restore the setting. Steps run in parallel worker
    processes (the other trainers use ``n_jobs=1`` too); several torch threads per process
    oversubscribe the cores and made small networks ten times slower on a busy machine."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def build_network(
    n_in: int, n_out: int, hidden: Sequence[int], activation: str, dropout: float
) -> Any:
    """``Linear -> activation [-> Dropout]`` per hidden layer, then a linear output layer.

    Its keyword arguments are the ``architecture`` that the fitted models keep.
    """
    from torch import nn

    act = {"relu": nn.ReLU, "tanh": nn.Tanh, "gelu": nn.GELU}[activation]
    layers: list[Any] = []
    width = n_in
    for units in hidden:
        layers += [nn.Linear(width, units), act()]
        if dropout > 0:
            layers.append(nn.Dropout(dropout))
        width = units
    layers.append(nn.Linear(width, n_out))
    return nn.Sequential(*layers)


class _TorchMLP:
    """Shared inference: check and scale the input, forward in batches on the CPU."""

    def __init__(self, module: Any, architecture: dict[str, Any], mean: Any, scale: Any) -> None:
        self.module = module
        self.architecture = architecture  # build_network(**architecture) gives the same shape
        self.mean_ = mean  # None when trained without standardize
        self.scale_ = scale
        self.n_features_in_ = int(architecture["n_in"])

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.module!r})"

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        module = state.pop("module")
        state["weights"] = {k: v.detach().cpu().numpy() for k, v in module.state_dict().items()}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        import torch

        state = dict(state)
        weights = state.pop("weights")
        self.__dict__.update(state)
        with torch.random.fork_rng(devices=[]):  # the throwaway initial weights use the RNG
            module = build_network(**self.architecture)
        module.load_state_dict({k: torch.from_numpy(v) for k, v in weights.items()})
        self.module = module.eval()

    def _outputs(self, x: Any) -> Any:
        import numpy as np
        import torch

        values = np.asarray(x, dtype=np.float32)
        if values.ndim != 2 or values.shape[1] != self.n_features_in_:
            raise ValueError(
                f"the model takes {self.n_features_in_} feature columns, got an array of shape "
                f"{values.shape}; give it the columns it was trained on"
            )
        if np.isnan(values).any():
            raise ValueError(
                "the rows to predict have missing feature values; fill them with "
                "preprocessing.fill_missing as for the training table"
            )
        if self.mean_ is not None:
            values = (values - self.mean_) / self.scale_
        self.module.eval()
        parts = []
        with one_cpu_thread(torch), torch.inference_mode():
            for start in range(0, max(len(values), 1), PREDICT_BATCH):
                batch = torch.from_numpy(values[start : start + PREDICT_BATCH])
                parts.append(self.module(batch).numpy())
        return np.concatenate(parts).astype(np.float64)


class TorchMLPClassifier(_TorchMLP):
    """A fitted MLP classifier; ``predict`` returns the original class labels."""

    def __init__(
        self, module: Any, architecture: dict[str, Any], mean: Any, scale: Any, classes: Any
    ) -> None:
        import numpy as np

        super().__init__(module, architecture, mean, scale)
        self.classes_ = np.asarray(classes)

    def predict_proba(self, x: Any) -> Any:
        import numpy as np

        logits = self._outputs(x)
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def predict(self, x: Any) -> Any:
        return self.classes_[self._outputs(x).argmax(axis=1)]


class TorchMLPRegressor(_TorchMLP):
    """A fitted MLP regressor; predictions are in the target's original units."""

    def __init__(
        self,
        module: Any,
        architecture: dict[str, Any],
        mean: Any,
        scale: Any,
        y_mean: float,
        y_scale: float,
    ) -> None:
        super().__init__(module, architecture, mean, scale)
        self.y_mean_ = y_mean
        self.y_scale_ = y_scale

    def predict(self, x: Any) -> Any:
        return self._outputs(x)[:, 0] * self.y_scale_ + self.y_mean_
