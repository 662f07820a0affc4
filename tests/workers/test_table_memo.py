"""The per-process table memo of the artifact store: copies that cannot leak writes into each
other, pass-through outputs stored as their input's reference, and nothing reused that changed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from workers.artifacts import ArtifactRef, LocalArtifactStore


def _numeric() -> pd.DataFrame:
    return pd.DataFrame({"f": [0.0, 1.5, np.nan], "i": [1, 2, 3], "s": ["a", "b", None],
                         "b": [True, False, True]})


@pytest.fixture
def store(tmp_path: Path) -> LocalArtifactStore:
    return LocalArtifactStore(tmp_path / "artifacts")


def _objects(store: LocalArtifactStore) -> list[Path]:
    return sorted(p for p in (store.root / "objects").rglob("*") if p.is_file())


def test_readers_get_private_copies_of_a_memoised_table(store: LocalArtifactStore) -> None:
    ref = store.put("table", _numeric())
    first = store.get(ref)
    store.path(ref).unlink()  # from now on only the memo can answer
    second = store.get(ref)
    # when: one reader writes to its copy in every way pandas allows
    first.loc[0, "f"] = 99.0
    first["i"] = first["i"] * 10
    first.index.name = "renamed"
    first.attrs["note"] = "mine"
    # then: the other reader and later readers still see the stored table
    for other in (second, store.get(ref)):
        pd.testing.assert_frame_equal(other, _numeric())
        assert other.index.name is None and other.attrs == {}
    with pytest.raises(ValueError, match="read-only"):
        second["f"].to_numpy()[0] = 5.0


def _stored_elsewhere(store: LocalArtifactStore, table: pd.DataFrame) -> ArtifactRef:
    """A table stored by another writer (other Parquet settings: an older worker, say)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_pandas(table), sink, compression="gzip")
    data = bytes(sink.getvalue())
    digest = hashlib.sha256(data).hexdigest()
    path = store.root / "objects" / digest[:2] / f"{digest}.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return ArtifactRef(digest=digest, type="table", uri=path.as_uri(), size=len(data))


def test_an_input_handed_back_unchanged_is_stored_as_the_same_reference(
    store: LocalArtifactStore,
) -> None:
    ref = _stored_elsewhere(store, _numeric())
    files = _objects(store)
    assert store.put("table", _numeric()).digest != ref.digest  # this writer's bytes differ
    # when: a pass-through returns its input
    again = store.put("table", store.get(ref))
    # then: the input's own bytes and reference, with the summary of what it holds
    assert (again.digest, again.size, again.uri) == (ref.digest, ref.size, ref.uri)
    assert again.summary == store.put("table", _numeric()).summary
    assert set(files) <= set(_objects(store))


@pytest.mark.parametrize("change", [
    lambda df: df.loc.__setitem__((0, "f"), -0.0),  # equal to 0.0, but other bytes
    lambda df: df.__setitem__("i", df["i"].astype("int32")),
    lambda df: setattr(df, "columns", ["f", "i", "t", "b"]),
    lambda df: setattr(df.index, "name", "row"),
    lambda df: df.attrs.update(source="here"),
    lambda df: df.insert(0, "new", 1),
])
def test_a_changed_input_is_stored_afresh(store: LocalArtifactStore, change: object) -> None:
    ref = store.put("table", _numeric())
    table = store.get(ref)
    # when
    change(table)  # type: ignore[operator]
    stored = store.put("table", table)
    # then: what is stored is what the step returned
    assert stored.digest != ref.digest
    reread = LocalArtifactStore(store.root).get(stored)
    pd.testing.assert_frame_equal(reread, table)
    if "f" in table:
        assert np.signbit(reread["f"].to_numpy()[0]) == np.signbit(table["f"].to_numpy()[0])


@pytest.mark.parametrize("column", [pd.Categorical(["x", "y"]), pd.array([1, None], dtype="Int64"),
                                    pd.Series([[1], [2]], dtype=object)])
def test_tables_with_writable_columns_are_read_afresh(store: LocalArtifactStore,
                                                      column: object) -> None:
    # categorical, nullable and object columns can be written in place behind copy-on-write
    ref = store.put("table", pd.DataFrame({"c": column}))
    table = store.get(ref)
    # when
    store.path(ref).unlink()
    # then: nothing was kept, and storing the table again hashes it (same bytes, same digest)
    with pytest.raises(FileNotFoundError):
        store.get(ref)
    assert store.put("table", table).digest == ref.digest


def test_an_input_whose_file_vanished_is_written_again(store: LocalArtifactStore) -> None:
    ref = _stored_elsewhere(store, _numeric())
    table = store.get(ref)
    store.path(ref).unlink()
    # when
    stored = store.put("table", table)
    # then: stored afresh by this writer
    assert stored.digest != ref.digest and store.path(stored).is_file()
    pd.testing.assert_frame_equal(LocalArtifactStore(store.root).get(stored), _numeric())


def test_the_memo_can_be_turned_off(tmp_path: Path) -> None:
    store = LocalArtifactStore(tmp_path, memo_bytes=0)
    ref = store.put("table", _numeric())
    store.get(ref)
    store.path(ref).unlink()
    with pytest.raises(FileNotFoundError):
        store.get(ref)


def test_recording_the_same_cache_entry_again_leaves_the_file_alone(
    store: LocalArtifactStore,
) -> None:
    refs = {"table": store.put("table", _numeric())}
    store.record("c" * 64, refs)
    path = next((store.root / "cache").rglob("*.json"))
    before = path.stat().st_mtime_ns, path.stat().st_ino
    # when
    store.record("c" * 64, refs)
    # then
    assert (path.stat().st_mtime_ns, path.stat().st_ino) == before
    other = {"table": ArtifactRef.from_dict({**refs["table"].to_dict(), "size": 1})}
    store.record("c" * 64, other)
    assert store.lookup("c" * 64) == other and path.stat().st_ino != before[1]
