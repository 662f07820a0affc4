"""The artifact store shared by several machines (``RemoteArtifactStore``, any fsspec URL).

Two store objects with their own local copies stand for two machines: fsspec's in-memory file
system (one per process) plays object storage, and a ``file://`` folder a shared file system.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pandas as pd
import pytest
from fsspec.implementations.memory import MemoryFileSystem

from workers.artifacts import (
    ArtifactMissing,
    LocalArtifactStore,
    RemoteArtifactStore,
    open_store,
)


@pytest.fixture
def url() -> str:
    return f"memory://designer-tests/{uuid.uuid4().hex}"


def machines(url: str, tmp_path: Path) -> tuple[RemoteArtifactStore, RemoteArtifactStore]:
    return (RemoteArtifactStore(url, tmp_path / "a"), RemoteArtifactStore(url, tmp_path / "b"))


def frame() -> pd.DataFrame:
    return pd.DataFrame({"x": [1.5, 2.5, 3.5], "name": ["a", "b", "c"]})


def objects(store: RemoteArtifactStore) -> list[str]:
    return sorted(p for p in store.fs.find(f"{store._base}/objects"))


def test_what_one_machine_stores_another_reads(url: str, tmp_path: Path) -> None:
    a, b = machines(url, tmp_path)
    # when
    ref = a.put("table", frame())
    # then: the reference points into the store; the other machine fetches it once
    assert ref.uri.startswith("memory://") and ref.digest in ref.uri
    pd.testing.assert_frame_equal(b.get(ref), frame())
    assert b.local.exists(ref) and b.exists(ref)
    assert b.path(ref).read_bytes() == a.path(ref).read_bytes()
    assert len(objects(a)) == 1


def test_an_object_is_uploaded_once(url: str, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = machines(url, tmp_path)
    uploads: list[str] = []
    put_file = MemoryFileSystem.put_file

    def counting(self: MemoryFileSystem, lpath: str, rpath: str, **kwargs: object) -> None:
        uploads.append(rpath)
        put_file(self, lpath, rpath, **kwargs)

    monkeypatch.setattr(MemoryFileSystem, "put_file", counting)
    # when: the same bytes stored twice here and once on another machine
    first = a.put("metrics", {"accuracy": 0.9})
    again = a.put("metrics", {"accuracy": 0.9})
    other = b.put("metrics", {"accuracy": 0.9})
    # then
    assert first == again == other and len(uploads) == 1


def test_the_cache_index_is_shared(url: str, tmp_path: Path) -> None:
    a, b = machines(url, tmp_path)
    outputs = {"table": a.put("table", frame()), "metrics": a.put("metrics", {"r2": 0.5})}
    # when
    a.record("key_0123456789", outputs)
    # then
    assert b.lookup("key_0123456789") == outputs
    assert b.lookup("key_missing_123") is None


def test_a_cache_entry_whose_object_vanished_is_a_miss(url: str, tmp_path: Path) -> None:
    a, b = machines(url, tmp_path)
    ref = a.put("text", "hello")
    a.record("key_0123456789", {"text": ref})
    # when: the object is deleted from the store (a lifecycle rule, a clean-up)
    a.fs.rm(objects(a)[0])
    # then: a machine without a copy sees a miss, and reading it says what happened
    assert b.lookup("key_0123456789") is None
    with pytest.raises(ArtifactMissing, match="not in the store at memory://"):
        b.get(ref)


def test_an_object_changed_in_the_store_is_refused(url: str, tmp_path: Path) -> None:
    a, b = machines(url, tmp_path)
    ref = a.put("text", "hello")
    a.fs.pipe_file(objects(a)[0], b"tampered")
    with pytest.raises(ArtifactMissing, match="does not match its digest"):
        b.get(ref)
    assert not b.local.exists(ref)  # nothing half-fetched is kept


def test_a_shared_folder_by_file_url(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    url = shared.as_uri()
    a, b = RemoteArtifactStore(url, tmp_path / "a"), RemoteArtifactStore(url, tmp_path / "b")
    # when
    ref = a.put("table", frame())
    a.record("key_0123456789", {"table": ref})
    # then
    pd.testing.assert_frame_equal(b.get(b.lookup("key_0123456789")["table"]), frame())
    stored = sorted(p.relative_to(shared).parts[0] for p in shared.rglob("*") if p.is_file())
    assert stored == ["cache", "objects"]  # written under temporary names, then renamed


def test_open_store_picks_the_kind_from_the_address(tmp_path: Path) -> None:
    assert isinstance(open_store(tmp_path / "art"), LocalArtifactStore)
    remote = open_store("memory://x/y", cache_dir=tmp_path / "copies")
    assert isinstance(remote, RemoteArtifactStore) and remote.location == "memory://x/y"
    with pytest.raises(ValueError, match="give a local cache_dir"):
        open_store("memory://x/y")
