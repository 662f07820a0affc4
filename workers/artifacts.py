"""Content-addressed artifact storage and the cache index: where step outputs live between steps.

Only references (``ArtifactRef``) travel between runner, workers and server; the bytes stay in an
``ArtifactStore``. The same bytes always get the same digest, so retries and reruns are idempotent
without per-run keys. Formats per type are in ``workers.formats``. No server imports here.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol, runtime_checkable

from workers.formats import (
    EXTENSIONS,
    ArtifactTypeError,
    check_type,
    encode,
    extension_for,
    read,
    summarize,
    write,
)
from workers.table_memo import DEFAULT_BUDGET_BYTES, Entry, TableMemo

__all__ = [
    "ArtifactMissing",
    "ArtifactRef",
    "ArtifactStore",
    "ArtifactTypeError",
    "LocalArtifactStore",
    "RemoteArtifactStore",
    "check_type",
    "open_store",
]

_DIGEST_RE = re.compile(r"^[0-9a-f]{64}$")
_CACHE_KEY_RE = re.compile(r"^[0-9A-Za-z_\-]{8,128}$")
_CHUNK = 1 << 20
RECORDED_MEMO = 1024  # cache entries per store remembered as recorded


class ArtifactMissing(FileNotFoundError):
    """The store has no object for this reference (deleted, or a different store root)."""


@dataclass(frozen=True)
class ArtifactRef:
    """A stored output: what messages, events and the database carry instead of data."""

    digest: str  # sha256 hex of the stored bytes
    type: str  # port wire name: table, model, transformer, metrics, figure, text
    uri: str  # where the bytes are (file:// for the local store)
    size: int  # bytes
    summary: dict[str, Any] = field(default_factory=dict)

    def __hash__(self) -> int:  # summary is a dict; the digest and type identify the object
        return hash((self.digest, self.type))

    def to_dict(self) -> dict[str, Any]:
        return {
            "digest": self.digest,
            "type": self.type,
            "uri": self.uri,
            "size": self.size,
            "summary": self.summary,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArtifactRef:
        return cls(
            digest=str(data["digest"]),
            type=str(data["type"]),
            uri=str(data["uri"]),
            size=int(data["size"]),
            summary=dict(data.get("summary") or {}),
        )


@runtime_checkable
class ArtifactStore(Protocol):
    """Where artifacts and the cache index live: ``LocalArtifactStore`` (a folder, the default)
    or ``RemoteArtifactStore`` (any fsspec URL: S3-compatible object storage in production)."""

    location: str  # where the store is (a folder or URL), for messages and cache keys

    def put(self, wire_type: str, obj: Any) -> ArtifactRef: ...

    def get(self, ref: ArtifactRef) -> Any: ...

    def open(self, ref: ArtifactRef) -> IO[bytes]: ...

    def exists(self, ref: ArtifactRef) -> bool: ...

    def lookup(self, cache_key: str) -> dict[str, ArtifactRef] | None: ...

    def record(self, cache_key: str, outputs: dict[str, ArtifactRef]) -> None: ...


def _object_name(digest: str, ext: str) -> str:
    """``<2 hex>/<digest>.<ext>``: where an object lives under ``objects/``."""
    if not _DIGEST_RE.match(digest):
        raise ValueError(f"{digest!r} is not a sha256 hex digest")
    return f"{digest[:2]}/{digest}.{ext}"


def _cache_name(cache_key: str) -> str:
    """``<2 chars>/<key>.json``: where a cache entry lives under ``cache/``."""
    if not _CACHE_KEY_RE.match(cache_key):
        raise ValueError(f"{cache_key!r} is not a cache key (letters, digits, _ and -)")
    return f"{cache_key[:2]}/{cache_key}.json"


def _cache_payload(cache_key: str, outputs: dict[str, ArtifactRef]) -> dict[str, Any]:
    """A cache entry as stored (JSON)."""
    return {"cache_key": cache_key,
            "outputs": {port: ref.to_dict() for port, ref in sorted(outputs.items())}}


def _remember(memo: dict[str, dict[str, Any]], cache_key: str, payload: dict[str, Any]) -> None:
    """Note a cache entry written or seen (the memo keeps the last ``RECORDED_MEMO``)."""
    if len(memo) >= RECORDED_MEMO:
        memo.pop(next(iter(memo)))
    memo[cache_key] = payload


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class LocalArtifactStore:
    """Artifacts as files under ``root``: ``objects/<2 hex>/<digest>.<ext>``, ``cache/<key>.json``.

    Writes go to ``root/tmp`` first and are moved into place with ``os.replace``, so a reader
    never sees half an object, and concurrent writers of the same bytes do not conflict. Safe to
    share between processes on one machine (the process pool, Celery prefork workers).

    Tables read are memoised in this process (``workers.table_memo``, up to ``memo_bytes``; 0
    turns it off): readers get private copy-on-write copies, and an input table handed back
    unchanged is stored as the input's reference without serialising it again.
    """

    def __init__(self, root: Path | str, *, memo_bytes: int = DEFAULT_BUDGET_BYTES) -> None:
        self.root = Path(root).resolve()
        self.location = str(self.root)
        self._tables = TableMemo(memo_bytes)
        self._recorded: dict[str, dict[str, Any]] = {}  # cache entries written or seen

    def __repr__(self) -> str:
        return f"LocalArtifactStore({str(self.root)!r})"

    # objects -----------------------------------------------------------------------------------
    def put(self, wire_type: str, obj: Any) -> ArtifactRef:
        """Store ``obj`` as type ``wire_type``; return its reference. Same bytes, one file."""
        check_type(wire_type, obj, where=f"the {wire_type} to store")
        if wire_type == "table":
            source = self._tables.source_of(obj)
            if source is not None:  # an input handed back unchanged: it is stored already
                reused = self._memo_ref(source)
                if reused is not None:
                    return reused
        ext = extension_for(wire_type, obj)
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        tmp = tmp_dir / f"{uuid.uuid4().hex}.{ext}"
        try:
            data = encode(wire_type, obj)  # small objects: hashed in memory, written once
            if data is not None:
                digest, size = hashlib.sha256(data).hexdigest(), len(data)
                target = self.object_path(digest, ext)
                if not target.exists():
                    with open(tmp, "wb") as fh:
                        fh.write(data)
            else:
                write(wire_type, obj, tmp)
                digest = _sha256_file(tmp)
                size = tmp.stat().st_size
                target = self.object_path(digest, ext)
            if not target.exists():  # same digest = same bytes: never rewrite
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        return ArtifactRef(
            digest=digest,
            type=wire_type,
            uri=target.as_uri(),
            size=size,
            summary=summarize(wire_type, obj),
        )

    def get(self, ref: ArtifactRef) -> Any:
        """Load the object ``ref`` points at (tables: a private copy, memoised per process)."""
        if ref.type != "table":
            return read(ref.type, self.path(ref))
        memoised = self._tables.get(ref.digest)
        if memoised is not None:
            return memoised
        return self._tables.add(ref.digest, read(ref.type, self.path(ref)), ref.size)

    def _memo_ref(self, entry: Entry) -> ArtifactRef | None:
        ref = ArtifactRef(digest=entry.digest, type="table", uri="", size=entry.size)
        try:
            path = self.path(ref)
        except ArtifactMissing:  # deleted since it was read: store the table again
            return None
        if entry.summary is None:
            entry.summary = summarize("table", entry.table)
        return ArtifactRef(digest=entry.digest, type="table", uri=path.as_uri(), size=entry.size,
                           summary=entry.summary)

    def open(self, ref: ArtifactRef) -> IO[bytes]:
        """The stored bytes, for downloads. The caller closes the file."""
        return open(self.path(ref), "rb")  # noqa: SIM115 - returned to the caller

    def exists(self, ref: ArtifactRef) -> bool:
        try:
            self.path(ref)
        except ArtifactMissing:
            return False
        return True

    def path(self, ref: ArtifactRef) -> Path:
        """The file holding ``ref``, found by digest and type (so refs survive moving ``root``)."""
        if ref.type not in EXTENSIONS:
            raise ArtifactTypeError(f"artifact {ref.digest[:12]} has unknown type {ref.type!r}")
        for ext in EXTENSIONS[ref.type]:
            candidate = self.object_path(ref.digest, ext)
            if candidate.is_file():
                return candidate
        raise ArtifactMissing(
            f"artifact {ref.digest[:12]}… ({ref.type}) is not in the store at {self.root}; "
            "it was deleted or written to another store root — rerun the step without cache"
        )

    def object_path(self, digest: str, ext: str) -> Path:
        """Where the object ``digest`` with extension ``ext`` is (or would be) stored."""
        return self.root / "objects" / _object_name(digest, ext)

    # cache index -------------------------------------------------------------------------------
    def lookup(self, cache_key: str) -> dict[str, ArtifactRef] | None:
        """The outputs recorded for ``cache_key``; None if absent or an object has vanished."""
        path = self._cache_path(cache_key)
        try:
            data = json.loads(path.read_text("utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return None
        outputs = {port: ArtifactRef.from_dict(d) for port, d in data["outputs"].items()}
        if not all(self.exists(ref) for ref in outputs.values()):
            return None
        return outputs

    def record(self, cache_key: str, outputs: dict[str, ArtifactRef]) -> None:
        """Remember ``outputs`` under ``cache_key`` (atomically; the last writer wins)."""
        path = self._cache_path(cache_key)
        payload = _cache_payload(cache_key, outputs)
        if self._recorded.get(cache_key) == payload and path.exists():
            return  # this process wrote or saw this very entry (siblings record the same one)
        try:
            if json.loads(path.read_text("utf-8")) == payload:
                _remember(self._recorded, cache_key, payload)
                return  # recorded already (siblings and reruns record the same entry)
        except (FileNotFoundError, UnicodeDecodeError, json.JSONDecodeError):
            path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{uuid.uuid4().hex}.tmp")
        try:
            tmp.write_text(json.dumps(payload, sort_keys=True, indent=1), "utf-8")
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        _remember(self._recorded, cache_key, payload)

    def _cache_path(self, cache_key: str) -> Path:
        return self.root / "cache" / _cache_name(cache_key)


class RemoteArtifactStore:
    """Artifacts in a file system that every machine reaches, by fsspec URL: ``s3://bucket/dir``
    for S3-compatible object storage (with ``s3fs`` installed), ``gs://``, ``file:///shared``...
    The layout is the local store's (``objects/<2 hex>/<digest>.<ext>``, ``cache/<2>/<key>.json``).

    A ``LocalArtifactStore`` under ``cache_dir`` does the encoding, hashing and table memo and
    keeps a copy of every object this machine wrote or read: objects never change (same digest,
    same bytes), so a copy is never stale and each is fetched at most once per machine. An object
    is uploaded once (skipped when the store has it); the cache index lives in the store only,
    so every machine sees every entry. Writes are single PUTs, atomic on object storage; on a
    plain file system they go through a temporary name and a rename, like the local store's.
    """

    def __init__(self, url: str, cache_dir: Path | str, *,
                 storage_options: dict[str, Any] | None = None,
                 memo_bytes: int = DEFAULT_BUDGET_BYTES) -> None:
        from fsspec.core import url_to_fs

        self.location = url.rstrip("/")
        self.fs, self._base = url_to_fs(self.location, **(storage_options or {}))
        self._base = self._base.rstrip("/")
        protocols = self.fs.protocol if isinstance(self.fs.protocol, tuple) else (self.fs.protocol,)
        self._renames = "file" in protocols or "local" in protocols  # PUT is not atomic there
        self.local = LocalArtifactStore(cache_dir, memo_bytes=memo_bytes)
        self._present: set[str] = set()  # objects known to be in the store (uploaded, fetched)
        self._recorded: dict[str, dict[str, Any]] = {}

    def __repr__(self) -> str:
        return f"RemoteArtifactStore({self.location!r})"

    # objects -----------------------------------------------------------------------------------
    def put(self, wire_type: str, obj: Any) -> ArtifactRef:
        """Store ``obj``: encoded and hashed here, uploaded unless the store has it."""
        ref = self.local.put(wire_type, obj)
        path = self.local.path(ref)
        ext = path.name.split(".", 1)[1]
        key = self._object_key(ref.digest, ext)
        if ref.digest not in self._present:
            if not self.fs.exists(key):
                self._write(key, lambda target: self.fs.put_file(str(path), target))
            self._present.add(ref.digest)
        return ArtifactRef(digest=ref.digest, type=ref.type, uri=self._url(key), size=ref.size,
                           summary=ref.summary)

    def get(self, ref: ArtifactRef) -> Any:
        """Load the object (fetched into this machine's copy first, once)."""
        self.path(ref)
        return self.local.get(ref)

    def open(self, ref: ArtifactRef) -> IO[bytes]:
        return open(self.path(ref), "rb")  # noqa: SIM115 - returned to the caller

    def exists(self, ref: ArtifactRef) -> bool:
        if self.local.exists(ref):
            return True
        return self._find(ref) is not None

    def path(self, ref: ArtifactRef) -> Path:
        """This machine's copy of ``ref`` (fetched from the store when it has none yet)."""
        try:
            return self.local.path(ref)
        except ArtifactMissing:
            pass
        found = self._find(ref)
        if found is None:
            raise ArtifactMissing(
                f"artifact {ref.digest[:12]}… ({ref.type}) is not in the store at "
                f"{self.location}; it was deleted or written to another store — rerun the step "
                "without cache")
        key, ext = found
        target = self.local.object_path(ref.digest, ext)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.local.root / "tmp" / f"{uuid.uuid4().hex}.{ext}"
        tmp.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.fs.get_file(key, str(tmp))
            if _sha256_file(tmp) != ref.digest:
                raise ArtifactMissing(f"artifact {ref.digest[:12]}… in {self.location} does not "
                                      "match its digest (changed or cut short); rerun the step "
                                      "without cache")
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        self._present.add(ref.digest)
        return target

    def _find(self, ref: ArtifactRef) -> tuple[str, str] | None:
        if ref.type not in EXTENSIONS:
            raise ArtifactTypeError(f"artifact {ref.digest[:12]} has unknown type {ref.type!r}")
        for ext in EXTENSIONS[ref.type]:
            key = self._object_key(ref.digest, ext)
            if self.fs.exists(key):
                return key, ext
        return None

    def _object_key(self, digest: str, ext: str) -> str:
        return f"{self._base}/objects/{_object_name(digest, ext)}"

    def _write(self, key: str, put: Callable[[str], object]) -> None:
        """Write ``key`` with ``put(target)``: directly where a PUT is atomic (object storage),
        else under a temporary name that is then renamed (a reader never sees half of it)."""
        if not self._renames:
            put(key)
            return
        tmp = f"{self._base}/tmp/{uuid.uuid4().hex}"
        for name in (key, tmp):
            self.fs.makedirs(name.rsplit("/", 1)[0], exist_ok=True)
        put(tmp)
        self.fs.mv(tmp, key)

    def _url(self, key: str) -> str:
        return self.fs.unstrip_protocol(key)

    # cache index -------------------------------------------------------------------------------
    def lookup(self, cache_key: str) -> dict[str, ArtifactRef] | None:
        """The outputs recorded for ``cache_key`` in the store; None if absent or an object has
        vanished."""
        try:
            data = json.loads(self.fs.cat_file(self._cache_key(cache_key)))
        except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
            return None
        outputs = {port: ArtifactRef.from_dict(d) for port, d in data["outputs"].items()}
        if not all(ref.digest in self._present or self.exists(ref) for ref in outputs.values()):
            return None
        self._present.update(ref.digest for ref in outputs.values())
        return outputs

    def record(self, cache_key: str, outputs: dict[str, ArtifactRef]) -> None:
        """Remember ``outputs`` under ``cache_key`` in the store (the last writer wins)."""
        payload = _cache_payload(cache_key, outputs)
        if self._recorded.get(cache_key) == payload:
            return
        data = json.dumps(payload, sort_keys=True, indent=1).encode("utf-8")
        self._write(self._cache_key(cache_key), lambda target: self.fs.pipe_file(target, data))
        _remember(self._recorded, cache_key, payload)

    def _cache_key(self, cache_key: str) -> str:
        return f"{self._base}/cache/{_cache_name(cache_key)}"


def open_store(
    where: Path | str, *, cache_dir: Path | str | None = None,
    storage_options: dict[str, Any] | None = None,
) -> LocalArtifactStore | RemoteArtifactStore:
    """The store at ``where``: a folder (``LocalArtifactStore``), or a URL with a scheme
    (``RemoteArtifactStore``, keeping this machine's copies in ``cache_dir``)."""
    text = str(where)
    if "://" not in text:
        return LocalArtifactStore(text)
    if cache_dir is None:
        raise ValueError(f"the artifact store {text} is remote: give a local cache_dir")
    return RemoteArtifactStore(text, cache_dir, storage_options=storage_options)
