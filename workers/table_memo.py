"""An in-process memo of tables read from the artifact store, so siblings that read the same parent
output parse its Parquet file once per process, and a step that hands an input table back
unchanged (a pass-through) reuses the input's reference instead of serialising it again.

Safe because of pandas copy-on-write: every caller gets its own shallow copy, and a write to a
copy copies the data first. Only tables whose columns cannot be written in place behind
copy-on-write's back are kept (plain numpy dtypes, whose arrays pandas hands out read-only, and
Arrow-backed strings, which are immutable); categoricals, nullable and object columns are read
afresh every time. No Django, Celery or database here.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas and numpy load with the first table, not with the store
    import numpy as np
    import pandas as pd

DEFAULT_BUDGET_BYTES = 128 << 20  # per process (each prefork worker child has its own)
DEFAULT_MAX_ENTRY_BYTES = 32 << 20  # larger tables are always read from the store
NUMPY_KINDS = frozenset("biufcmM")  # bool, int, uint, float, complex, datetime, timedelta


@dataclass
class Entry:
    """A table as read from the store (never handed out), with what its reference needs."""

    digest: str
    table: pd.DataFrame
    nbytes: int
    size: int  # bytes of the stored file
    summary: dict[str, Any] | None = field(default=None)


def _memoizable(df: pd.DataFrame) -> bool:
    import numpy as np
    import pandas as pd

    if df.attrs or not df.flags.allows_duplicate_labels:
        return False
    for dtype in df.dtypes:
        if isinstance(dtype, np.dtype):
            if dtype.kind not in NUMPY_KINDS:
                return False
        elif not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
            return False
    return True


def _same_labels(a: pd.Index, b: pd.Index) -> bool:
    if type(a) is not type(b) or a.dtype != b.dtype or list(a.names) != list(b.names):
        return False
    if len(a) != len(b) or not a.equals(b):
        return False
    if a.dtype == "object":  # equals() says 1 == 1.0 == True; Parquet writes them differently
        return all(type(x) is type(y) for x, y in zip(a, b, strict=True))
    return True


def _same_memory(x: np.ndarray, y: np.ndarray) -> bool:
    ix, iy = x.__array_interface__, y.__array_interface__
    return bool(ix["data"][0] == iy["data"][0] and x.shape == y.shape
                and x.strides == y.strides and x.dtype == y.dtype)


def unchanged(copy: pd.DataFrame, original: pd.DataFrame) -> bool:
    """Whether ``copy`` (a shallow copy of ``original``) still holds exactly the original's
    labels, dtypes and values. Column data must be the very same memory (copy-on-write gives a
    written column new memory), so equal-looking values such as -0.0 and 0.0 never pass."""
    import numpy as np
    import pandas as pd

    if copy.shape != original.shape or copy.attrs != original.attrs:
        return False
    if copy.flags.allows_duplicate_labels != original.flags.allows_duplicate_labels:
        return False
    if not (_same_labels(copy.columns, original.columns)
            and _same_labels(copy.index, original.index)):
        return False
    same = _same_blocks(copy, original)
    if same is not None:
        return same
    for i in range(copy.shape[1]):
        a, b = copy.iloc[:, i], original.iloc[:, i]
        if a.dtype != b.dtype:
            return False
        if isinstance(a.dtype, np.dtype):
            if not _same_memory(a.to_numpy(), b.to_numpy()):
                return False
        elif not (isinstance(a.dtype, pd.StringDtype) and a.array.equals(b.array)):
            return False
    return True


def _same_blocks(copy: pd.DataFrame, original: pd.DataFrame) -> bool | None:
    """The column check on pandas' blocks (a shallow copy shares the original's block arrays
    until it is written to): much faster than a Series per column. None when pandas' internals
    are not what this expects (then the caller checks column by column)."""
    try:
        mine, theirs = copy._mgr.blocks, original._mgr.blocks
        if len(mine) != len(theirs):
            return False
        for a, b in zip(mine, theirs, strict=True):
            if not (a.mgr_locs.as_array == b.mgr_locs.as_array).all():
                return False
            if a.values is b.values:
                continue
            x, y = a.values, b.values
            if hasattr(x, "__array_interface__") and hasattr(y, "__array_interface__"):
                if not _same_memory(x, y):
                    return False
            elif getattr(x, "_pa_array", None) is None or x._pa_array is not y._pa_array:
                return None  # not the same immutable Arrow data: compare the columns instead
        return True
    except (AttributeError, TypeError, ValueError):
        return None


class TableMemo:
    """Tables by digest, least recently used first out, within a byte budget; thread-safe."""

    def __init__(self, budget_bytes: int = DEFAULT_BUDGET_BYTES,
                 max_entry_bytes: int = DEFAULT_MAX_ENTRY_BYTES) -> None:
        self.budget = budget_bytes
        self.max_entry = min(max_entry_bytes, budget_bytes)
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._used = 0
        # id(handed-out copy) -> (weak reference to it, digest of the entry it copies)
        self._handed: dict[int, tuple[weakref.ref[pd.DataFrame], str]] = {}
        self._lock = threading.RLock()  # re-entered when a copy dies while the lock is held

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, digest: str) -> pd.DataFrame | None:
        """A private copy of the memoised table, or None."""
        with self._lock:
            entry = self._entries.get(digest)
            if entry is None:
                return None
            self._entries.move_to_end(digest)
            return self._hand_out(entry)

    def add(self, digest: str, table: pd.DataFrame, size: int) -> pd.DataFrame:
        """Keep ``table`` (just read from the store; the memo owns it from now on) if it is
        memoizable and fits; returns what the caller should use: a private copy, or the table."""
        if self.budget <= 0 or not _memoizable(table):
            return table
        nbytes = int(table.memory_usage(index=True, deep=False).sum())
        if nbytes > self.max_entry:
            return table
        with self._lock:
            entry = self._entries.get(digest)
            if entry is None:
                entry = Entry(digest, table, nbytes, size)
                self._entries[digest] = entry
                self._used += nbytes
                while self._used > self.budget and len(self._entries) > 1:
                    _, old = self._entries.popitem(last=False)
                    self._used -= old.nbytes
            return self._hand_out(entry)

    def source_of(self, obj: Any) -> Entry | None:
        """The entry ``obj`` was handed out from, if ``obj`` is such a copy and is unchanged."""
        with self._lock:
            handed = self._handed.get(id(obj))
            if handed is None or handed[0]() is not obj:
                return None
            entry = self._entries.get(handed[1])
        if entry is None or not unchanged(obj, entry.table):
            return None
        return entry

    def _hand_out(self, entry: Entry) -> pd.DataFrame:
        copy = entry.table.copy(deep=False)
        key = id(copy)

        def forget(dead: weakref.ref[pd.DataFrame], key: int = key) -> None:
            with self._lock:
                if self._handed.get(key, (None, ""))[0] is dead:
                    del self._handed[key]

        self._handed[key] = (weakref.ref(copy, forget), entry.digest)
        return copy
