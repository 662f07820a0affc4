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
    "check_type",
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
    """Where artifacts and the cache index live. ``LocalArtifactStore`` is the default; an
    object-storage implementation (S3 via fsspec) provides the same methods."""

    def put(self, wire_type: str, obj: Any) -> ArtifactRef: ...

    def get(self, ref: ArtifactRef) -> Any: ...

    def open(self, ref: ArtifactRef) -> IO[bytes]: ...

    def exists(self, ref: ArtifactRef) -> bool: ...

    def lookup(self, cache_key: str) -> dict[str, ArtifactRef] | None: ...

    def record(self, cache_key: str, outputs: dict[str, ArtifactRef]) -> None: ...


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
                target = self._object_path(digest, ext)
                if not target.exists():
                    with open(tmp, "wb") as fh:
                        fh.write(data)
            else:
                write(wire_type, obj, tmp)
                digest = _sha256_file(tmp)
                size = tmp.stat().st_size
                target = self._object_path(digest, ext)
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
            candidate = self._object_path(ref.digest, ext)
            if candidate.is_file():
                return candidate
        raise ArtifactMissing(
            f"artifact {ref.digest[:12]}… ({ref.type}) is not in the store at {self.root}; "
            "it was deleted or written to another store root — rerun the step without cache"
        )

    def _object_path(self, digest: str, ext: str) -> Path:
        if not _DIGEST_RE.match(digest):
            raise ValueError(f"{digest!r} is not a sha256 hex digest")
        return self.root / "objects" / digest[:2] / f"{digest}.{ext}"

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
        payload = {
            "cache_key": cache_key,
            "outputs": {port: ref.to_dict() for port, ref in sorted(outputs.items())},
        }
        if self._recorded.get(cache_key) == payload and path.exists():
            return  # this process wrote or saw this very entry (siblings record the same one)
        try:
            if json.loads(path.read_text("utf-8")) == payload:
                self._remember(cache_key, payload)
                return  # recorded already (siblings and reruns record the same entry)
        except (FileNotFoundError, UnicodeDecodeError, json.JSONDecodeError):
            path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{uuid.uuid4().hex}.tmp")
        try:
            tmp.write_text(json.dumps(payload, sort_keys=True, indent=1), "utf-8")
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        self._remember(cache_key, payload)

    def _remember(self, cache_key: str, payload: dict[str, Any]) -> None:
        if len(self._recorded) >= RECORDED_MEMO:
            self._recorded.pop(next(iter(self._recorded)))
        self._recorded[cache_key] = payload

    def _cache_path(self, cache_key: str) -> Path:
        if not _CACHE_KEY_RE.match(cache_key):
            raise ValueError(f"{cache_key!r} is not a cache key (letters, digits, _ and -)")
        return self.root / "cache" / cache_key[:2] / f"{cache_key}.json"
