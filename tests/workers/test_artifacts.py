"""The content-addressed artifact store: digests, formats per type, atomic writes, cache index."""

from __future__ import annotations

import hashlib
import json
import sys
import types
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from components.sdk import FittedModel, FittedTransformer
from workers.artifacts import ArtifactMissing, ArtifactRef, ArtifactTypeError, LocalArtifactStore


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "f": [0.5, np.nan, 2.25],
            "i": [1, 2, 3],
            "s": ["a", None, "c"],
            "c": pd.Categorical(["x", "y", "x"]),
            "b": [True, False, True],
        }
    )


def _model() -> FittedModel:
    from sklearn.linear_model import LogisticRegression

    df = pd.DataFrame({"a": [0.0, 1.0, 2.0, 3.0], "y": [0, 0, 1, 1]})
    est = LogisticRegression().fit(df[["a"]], df["y"])
    return FittedModel(est, ("a",), "y", "classification", (0, 1))


def _transformer() -> FittedTransformer:
    from sklearn.preprocessing import StandardScaler

    df = pd.DataFrame({"a": [0.0, 1.0, 2.0], "b": [1.0, 1.0, 4.0]})
    return FittedTransformer(StandardScaler().fit(df), ("a", "b"), kind="standard scaler")


@pytest.fixture
def store(tmp_path: Path) -> LocalArtifactStore:
    return LocalArtifactStore(tmp_path / "artifacts")


def _objects(store: LocalArtifactStore) -> list[Path]:
    return sorted(p for p in (store.root / "objects").rglob("*") if p.is_file())


def test_equal_tables_get_equal_digests_and_one_file(store: LocalArtifactStore) -> None:
    first, second = store.put("table", _frame()), store.put("table", _frame())
    other = store.put("table", _frame().assign(i=[1, 2, 4]))

    assert first.digest == second.digest != other.digest
    assert first.uri == second.uri
    assert len(_objects(store)) == 2
    path = _objects(store)[0]
    assert path.parent.name == path.name[:2] and path.suffix == ".parquet"


def test_digest_is_the_sha256_of_the_stored_bytes(store: LocalArtifactStore) -> None:
    ref = store.put("metrics", {"accuracy": 0.9})
    with store.open(ref) as fh:
        data = fh.read()
    assert hashlib.sha256(data).hexdigest() == ref.digest
    assert len(data) == ref.size


def _same(wire: str, a: Any, b: Any) -> bool:
    if wire == "table":
        return bool(a.equals(b)) and list(a.dtypes) == list(b.dtypes)
    if wire == "model":
        x = pd.DataFrame({"a": [0.5, 2.5]})
        same = (a.estimator.predict(x) == b.estimator.predict(x)).all()
        return bool(same) and a.classes == b.classes
    if wire == "transformer":
        x = pd.DataFrame({"a": [1.0, 5.0], "b": [2.0, 0.0]})
        return bool(a.transform(x).equals(b.transform(x))) and a.columns == b.columns
    return bool(a == b)


@pytest.mark.parametrize(
    ("wire", "make"),
    [
        ("table", _frame),
        ("table", lambda: _frame().iloc[[2, 0]]),  # a non-default index survives
        ("model", _model),
        ("transformer", _transformer),
        ("metrics", lambda: {"accuracy": 0.75, "n": 4}),
        ("figure", lambda: {"mark": "bar", "data": {"values": [{"a": 1}]}, "title": "t"}),
        ("text", lambda: "héllo\nwörld ✓"),
    ],
)
def test_each_type_round_trips(store: LocalArtifactStore, wire: str, make: Any) -> None:
    ref = store.put(wire, make())
    restored = LocalArtifactStore(store.root).get(ArtifactRef.from_dict(ref.to_dict()))
    assert _same(wire, restored, make())


def test_numpy_values_in_metrics_and_figures_become_plain_json(store: LocalArtifactStore) -> None:
    metrics = store.get(store.put("metrics", {"acc": np.float64(0.5), "n": np.int64(3)}))
    figure = store.get(store.put("figure", {"mark": "line", "data": {"values": np.arange(2)}}))
    assert metrics == {"acc": 0.5, "n": 3} and type(metrics["n"]) is int
    assert figure["data"]["values"] == [0, 1]


@pytest.mark.slow  # importing torch takes a few seconds
def test_torch_models_are_saved_with_torch(store: LocalArtifactStore) -> None:
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    net = torch.nn.Linear(3, 1)
    ref = store.put("model", FittedModel(net, ("a", "b", "c"), "y", "regression"))

    restored = store.get(ref)
    assert store.path(ref).suffix == ".pt"
    assert torch.equal(restored.estimator.weight, net.weight)
    assert ref.summary["estimator"] == "Linear" and ref.summary["features"] == 3


def test_a_model_is_stored_while_another_thread_is_halfway_through_importing_torch(
    store: LocalArtifactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: "torch" in sys.modules without its submodules yet (what another thread's import of
    # it looks like meanwhile: a sibling's first network, or the start-up's warm imports)
    monkeypatch.setitem(sys.modules, "torch", types.ModuleType("torch"))
    # when: a scikit-learn model is stored
    ref = store.put("model", _model())
    # then: it is told from a torch network without touching the half-made module
    assert store.path(ref).suffix == ".joblib"


def test_an_existing_object_is_not_rewritten(store: LocalArtifactStore) -> None:
    ref = store.put("text", "same")
    path = store.path(ref)
    before = path.stat().st_mtime_ns, path.stat().st_ino
    store.put("text", "same")
    assert (path.stat().st_mtime_ns, path.stat().st_ino) == before
    assert list((store.root / "tmp").iterdir()) == []


def test_a_failed_write_leaves_no_object_and_no_temp_file(store: LocalArtifactStore) -> None:
    mixed = pd.DataFrame({"m": pd.Series([1, "two", 3.0], dtype=object)})
    with pytest.raises(ArtifactTypeError, match="Parquet"):
        store.put("table", mixed)
    assert not (store.root / "objects").exists() or _objects(store) == []
    assert list((store.root / "tmp").iterdir()) == []


@pytest.mark.parametrize(
    ("wire", "value", "needle"),
    [
        ("table", {"a": [1]}, "DataFrame"),
        ("model", object(), "FittedModel"),
        ("transformer", _model, "FittedTransformer"),
        ("metrics", {"acc": "high"}, "numbers"),
        ("figure", {"data": {}}, "Vega-Lite"),
        ("text", b"bytes", "str"),
        ("series", "x", "known types"),
    ],
)
def test_values_of_the_wrong_type_are_refused(
    store: LocalArtifactStore, wire: str, value: Any, needle: str
) -> None:
    with pytest.raises(ArtifactTypeError, match=needle):
        store.put(wire, value)


def test_summaries_describe_each_type(store: LocalArtifactStore) -> None:
    table = store.put("table", _frame()).summary
    assert table["rows"] == 3 and table["columns"] == 5
    assert table["schema"][:2] == [{"name": "f", "kind": "float"}, {"name": "i", "kind": "int"}]
    assert store.put("metrics", {"b": 2, "a": 1.5}).summary == {"values": {"a": 1.5, "b": 2}}
    figure = {"mark": {"type": "rect"}, "title": {"text": "Confusion"}}
    assert store.put("figure", figure).summary == {"mark": "rect", "title": "Confusion"}
    assert store.put("figure", {"layer": []}).summary["mark"] == "layer"
    model = store.put("model", _model()).summary
    assert model["estimator"] == "LogisticRegression" and model["task"] == "classification"
    assert model["features"] == 1 and model["classes"] == [0, 1]
    text = store.put("text", "y" * 500).summary
    assert text == {"chars": 500, "preview": "y" * 200}
    json.dumps([table, model, text])  # summaries travel in events: plain JSON


def test_cache_index_records_and_looks_up(store: LocalArtifactStore) -> None:
    refs = {"table": store.put("table", _frame()), "report": store.put("text", "ok")}
    assert store.lookup("a" * 64) is None

    store.record("a" * 64, refs)
    assert LocalArtifactStore(store.root).lookup("a" * 64) == refs


def test_cache_entry_with_a_vanished_object_is_a_miss(store: LocalArtifactStore) -> None:
    ref = store.put("text", "gone soon")
    store.record("b" * 64, {"text": ref})
    store.path(ref).unlink()
    assert store.lookup("b" * 64) is None
    with pytest.raises(ArtifactMissing, match="rerun"):
        store.get(ref)


def test_refs_from_outside_cannot_escape_the_store(store: LocalArtifactStore) -> None:
    bad = ArtifactRef(digest="../../etc/passwd", type="text", uri="", size=0)
    with pytest.raises(ValueError, match="digest"):
        store.get(bad)
    with pytest.raises(ValueError, match="cache key"):
        store.lookup("../x")
