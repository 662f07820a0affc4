"""PyTorch MLP trainers: they learn, the seed fixes the model, progress per epoch, cancellation,
the CPU fallback, and models that survive the artifact store and work with evaluation.predict."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split

import components.library
from components.sdk import Cancelled, Context, FittedModel
from workers.artifacts import LocalArtifactStore

torch = pytest.importorskip("torch")
REGISTRY = components.library.load()
CLASSIFIER, REGRESSOR = "training.torch_mlp_classifier", "training.torch_mlp_regressor"


def _train(component_id: str, table: pd.DataFrame, ctx: Context | None = None, **params: Any):
    spec = REGISTRY.get(component_id)
    values = spec.params_model.model_validate({"target": "target", **params})
    return spec.call({"table": table}, values, ctx or Context())["model"]


def _predict(model: FittedModel, table: pd.DataFrame) -> pd.DataFrame:
    spec = REGISTRY.get("evaluation.predict")
    params = spec.params_model.model_validate({})
    return spec.call({"model": model, "table": table}, params, Context())["table"]


def _small(rows: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(rows, 3)), columns=["a", "b", "c"])
    return frame.assign(target=(frame["a"] - frame["b"] > 0).astype("int64"))


def _ticking_context(**kwargs: Any) -> tuple[Context, list[tuple[float, float | None, str]]]:
    """A context whose clock moves 1 s per call, so no progress report is throttled away."""
    events: list[tuple[float, float | None, str]] = []
    ticks = itertools.count()
    ctx = Context(
        clock=lambda: float(next(ticks)),
        on_progress=lambda value, maximum, text: events.append((value, maximum, text)),
        **kwargs,
    )
    return ctx, events


def test_classifier_learns_breast_cancer_with_its_own_labels() -> None:
    frame = load_breast_cancer(as_frame=True).frame
    frame["target"] = np.array(["malignant", "benign"], dtype=object)[frame["target"]].tolist()
    train, test = train_test_split(frame, test_size=0.25, random_state=0, stratify=frame["target"])
    model = _train(CLASSIFIER, train, epochs=10, validation_fraction=0.1)
    assert model.classes == ("benign", "malignant") and model.task == "classification"
    assert model.info["device"] == "cpu" and model.info["val_loss"] > 0
    out = _predict(model, test)
    assert accuracy_score(test["target"], out["prediction"]) > 0.9
    proba = out[["probability_benign", "probability_malignant"]].to_numpy()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)


def test_regressor_learns_diabetes_in_the_targets_units() -> None:
    frame = load_diabetes(as_frame=True, scaled=False).frame
    train, test = train_test_split(frame, test_size=0.25, random_state=0)
    model = _train(REGRESSOR, train, hidden_layers=[16], epochs=20)
    predicted = _predict(model, test)["prediction"]
    assert r2_score(test["target"], predicted) > 0.3
    assert 50 < predicted.mean() < 250  # the target's scale, not the standardized one


def test_the_same_seed_gives_the_same_model_and_an_explicit_seed_wins() -> None:
    table = _small()

    def proba(seed: int, **params: Any) -> np.ndarray:
        model = _train(CLASSIFIER, table, Context(seed=seed), epochs=3, dropout=0.3, **params)
        return model.estimator.predict_proba(table[["a", "b", "c"]])

    assert np.array_equal(proba(0), proba(0))
    assert not np.array_equal(proba(0), proba(1))
    assert np.array_equal(proba(0, random_state=7), proba(1, random_state=7))


def test_training_leaves_torch_global_state_as_it_was() -> None:
    torch.manual_seed(123)
    rng_before, threads = torch.get_rng_state(), torch.get_num_threads()
    _train(REGRESSOR, _small(), epochs=2)
    assert torch.equal(torch.get_rng_state(), rng_before)
    assert torch.get_num_threads() == threads
    assert not torch.are_deterministic_algorithms_enabled()


def test_progress_is_reported_per_epoch_with_the_loss_and_logs_are_throttled() -> None:
    ctx, events = _ticking_context()
    _train(REGRESSOR, _small(), ctx, epochs=4, validation_fraction=0.25)
    assert [(v, m) for v, m, _ in events] == [(float(i), 4.0) for i in range(5)]
    assert events[2][2].startswith("epoch 2: loss ") and "validation loss" in events[2][2]
    assert sum(message.startswith("epoch ") for _, message in ctx.logs) == 4

    ctx, events = _ticking_context()
    _train(REGRESSOR, _small(), ctx, epochs=100, hidden_layers=[4], batch_size=64)
    assert len(events) == 101
    epoch_logs = [message for _, message in ctx.logs if message.startswith("epoch ")]
    assert 10 <= len(epoch_logs) <= 21 and epoch_logs[-1].endswith("(100/100)")


def test_cancellation_stops_training_mid_way() -> None:
    events: list[tuple[float, float | None, str]] = []
    ctx, events = _ticking_context(is_cancelled=lambda: len(events) >= 3)
    with pytest.raises(Cancelled):
        _train(CLASSIFIER, _small(), ctx, epochs=50)
    assert events[-1][0] == 2  # epochs 1 and 2 ran, then the run stopped


def test_a_cuda_request_falls_back_to_the_cpu_when_there_is_no_gpu() -> None:
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    ctx = Context(device="cuda")
    model = _train(CLASSIFIER, _small(), ctx, epochs=1)
    assert model.info["device"] == "cpu"
    assert any(level == "warning" and "using the CPU" in m for level, m in ctx.logs)


def test_models_round_trip_through_the_artifact_store(tmp_path: Path) -> None:
    table = _small()
    store = LocalArtifactStore(tmp_path)
    for component_id in (CLASSIFIER, REGRESSOR):
        model = _train(component_id, table, epochs=2, dropout=0.1)
        ref = store.put("model", model)
        rng_before = torch.get_rng_state()
        restored = LocalArtifactStore(tmp_path).get(ref)
        assert torch.equal(torch.get_rng_state(), rng_before)  # loading draws no random numbers
        assert store.path(ref).suffix == ".joblib"
        assert ref.summary["estimator"].startswith("TorchMLP")
        assert _predict(restored, table).equals(_predict(model, table))
        assert not restored.estimator.module.training
        # the same training stores the same bytes, so downstream cache entries stay valid
        assert store.put("model", _train(component_id, table, epochs=2, dropout=0.1)) == ref


def test_feature_importance_says_it_does_not_support_these_models() -> None:
    spec = REGISTRY.get("evaluation.feature_importance")
    model = _train(CLASSIFIER, _small(), epochs=1)
    with pytest.raises(ValueError, match="neither feature importances nor coefficients"):
        spec.call({"model": model}, spec.params_model.model_validate({}), Context())


def test_prediction_refuses_missing_values_and_wrong_widths_with_a_fix() -> None:
    table = _small()
    model = _train(REGRESSOR, table, epochs=1, standardize=False)
    with pytest.raises(ValueError, match="fill_missing"):
        model.estimator.predict(table[["a", "b", "c"]].assign(a=np.nan))
    with pytest.raises(ValueError, match="3 feature columns"):
        model.estimator.predict(np.zeros((2, 2)))


def test_a_diverging_loss_is_reported_with_what_to_change() -> None:
    table = _small().assign(target=lambda f: f["a"] * 1e30)
    with pytest.raises(ValueError, match="lower learning_rate"):
        _train(REGRESSOR, table, epochs=3, standardize=False, optimizer="sgd", learning_rate=10.0)


def test_two_networks_trained_at_once_in_one_process_are_those_trained_alone() -> None:
    # given: inline mode runs nodes on threads of one process, and torch's global random
    # generator (weight initialisation, dropout) is the process's
    import threading

    table = _small(200)
    params = {"hidden_layers": [32, 32], "dropout": 0.3, "epochs": 30, "batch_size": 8}
    alone = [_train(CLASSIFIER, table, random_state=seed, **params) for seed in (1, 2)]
    # when: both at once
    together: dict[int, FittedModel] = {}
    threads = [threading.Thread(target=lambda s=seed: together.__setitem__(
        s, _train(CLASSIFIER, table, random_state=s, **params))) for seed in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    # then: each seed gives its model, as if trained alone
    for seed, model in zip((1, 2), alone, strict=True):
        for a, b in zip(model.estimator.module.state_dict().values(),
                        together[seed].estimator.module.state_dict().values(), strict=True):
            assert torch.equal(a, b), seed


def test_a_training_waiting_for_another_one_can_be_cancelled() -> None:
    from components.library.training import _torch

    # given: another training holds this process's torch (taken here in its place)
    ctx = Context(is_cancelled=lambda: True)
    with _torch._TRAINING:
        # when / then: the waiting node says why it waits and stops at its cancellation
        with pytest.raises(Cancelled):
            _train(CLASSIFIER, _small(), ctx, epochs=1)
    assert ("info", "waiting for another PyTorch training in this process to finish") in ctx.logs
    assert _train(CLASSIFIER, _small(), epochs=1) is not None  # and the lock was given back
