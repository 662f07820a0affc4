"""Artifact previews and downloads for the REST API: open a node's output through the artifact
store (``workers.artifacts``) and describe it as JSON.

Tables: first rows plus per-column statistics; metrics: values; figures: the Vega-Lite spec;
models/transformers: the stored summary (never unpickled in the web process); text: the text.
Previews are cached by content digest (artifacts are immutable).
"""

from __future__ import annotations

import hashlib
import json
import math
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache

from components.sdk.schema import NUMERIC_KINDS, kind_of_dtype, schema_of
from designer.errors import NotFound
from workers.artifacts import (
    ArtifactMissing,
    ArtifactRef,
    LocalArtifactStore,
    RemoteArtifactStore,
    open_store,
)

if TYPE_CHECKING:
    import pandas as pd

    from designer.runs.models import NodeRun

PREVIEW_ROWS_DEFAULT = 50
PREVIEW_ROWS_MAX = 500
TOP_VALUES = 5
TEXT_PREVIEW_MAX = 100_000
CONTENT_TYPES = {
    "parquet": "application/vnd.apache.parquet",
    "json": "application/json",
    "txt": "text/plain; charset=utf-8",
    "joblib": "application/octet-stream",
    "pt": "application/octet-stream",
}


@lru_cache(maxsize=4)
def _store_at(root: str, cache_dir: str, options: str) -> LocalArtifactStore | RemoteArtifactStore:
    return open_store(root, cache_dir=cache_dir, storage_options=json.loads(options))


def artifact_store() -> LocalArtifactStore | RemoteArtifactStore:
    """The artifact store the workers write to (``settings.DESIGNER_ARTIFACT_ROOT``: a folder,
    or a URL every machine reaches, with this machine's copies in ``DESIGNER_ARTIFACT_CACHE``)."""
    return _store_at(str(settings.DESIGNER_ARTIFACT_ROOT), str(settings.DESIGNER_ARTIFACT_CACHE),
                     json.dumps(settings.DESIGNER_ARTIFACT_OPTIONS, sort_keys=True))


def output_ref(node: NodeRun, port: str) -> ArtifactRef:
    """The stored reference of ``node``'s output ``port``, or ``NotFound`` saying why."""
    data = (node.outputs or {}).get(port)
    if not isinstance(data, dict):
        have = ", ".join(sorted(node.outputs or {})) or "none yet"
        raise NotFound(
            f"Node {node.node_id!r} ({node.status}) has no stored output {port!r}; outputs: {have}."
        )
    return ArtifactRef.from_dict(data)


def _json_value(value: Any) -> Any:
    """A cell or statistic as plain JSON (NaN/inf -> null, numpy -> Python, dates -> ISO)."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if hasattr(value, "isoformat"):
        try:
            import pandas as pd

            if pd.isna(value):
                return None
        except (TypeError, ValueError):
            pass
        return value.isoformat()
    if hasattr(value, "item"):
        return _json_value(value.item())
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def column_stats(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Per column: name, kind, count, nulls; numeric mean/std/min/max; others top values."""
    stats: list[dict[str, Any]] = []
    for name in df.columns:
        series = df[name]
        kind = kind_of_dtype(series.dtype)
        count = int(series.count())
        entry: dict[str, Any] = {"name": str(name), "kind": kind, "count": count,
                                 "nulls": int(len(series) - count)}
        if kind in NUMERIC_KINDS and kind != "bool" and count:
            values = series.astype("float64")
            entry.update(mean=_json_value(values.mean()), std=_json_value(values.std()),
                         min=_json_value(values.min()), max=_json_value(values.max()))
        elif kind == "datetime" and count:
            entry.update(min=_json_value(series.min()), max=_json_value(series.max()))
        elif count:
            counts = series.astype("str").where(series.notna()).value_counts()
            entry["unique"] = int(len(counts))
            entry["top"] = [{"value": str(v), "count": int(c)}
                            for v, c in counts.head(TOP_VALUES).items()]
        stats.append(entry)
    return stats


def table_preview(df: pd.DataFrame, rows: int) -> dict[str, Any]:
    head = df.head(rows)
    return {
        "rows": int(len(df)),
        "columns": schema_of(df).to_json(),
        "data": [[_json_value(v) for v in record] for record in head.itertuples(index=False)],
        "stats": column_stats(df),
    }


def _build_preview(ref: ArtifactRef, rows: int) -> dict[str, Any]:
    base: dict[str, Any] = {"type": ref.type, "digest": ref.digest, "size": ref.size,
                            "summary": ref.summary}
    if ref.type in ("model", "transformer"):
        return base  # the summary says it all; never unpickle in the web process
    try:
        obj = artifact_store().get(ref)
    except ArtifactMissing as exc:
        raise NotFound(str(exc)) from exc
    if ref.type == "table":
        base["table"] = table_preview(obj, rows)
    elif ref.type == "metrics":
        base["metrics"] = {str(k): _json_value(v) for k, v in obj.items()}
    elif ref.type == "figure":
        base["figure"] = obj
    elif ref.type == "text":
        base["text"] = obj[:TEXT_PREVIEW_MAX]
        base["truncated"] = len(obj) > TEXT_PREVIEW_MAX
    return base


def artifact_preview(ref: ArtifactRef, *, rows: int = PREVIEW_ROWS_DEFAULT) -> dict[str, Any]:
    """The JSON preview of one artifact (cached per digest and row count)."""
    rows = max(1, min(rows, PREVIEW_ROWS_MAX))
    where = f"{artifact_store().location}\n{ref.type}\n{ref.digest}\n{rows}"
    key = "designer:preview:" + hashlib.sha256(where.encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = _build_preview(ref, rows)
        cache.set(key, found, timeout=3600)
    return found


def artifact_file(ref: ArtifactRef) -> tuple[Path, str]:
    """The stored file of ``ref`` and its content type, for downloads."""
    try:
        path = artifact_store().path(ref)
    except ArtifactMissing as exc:
        raise NotFound(str(exc)) from exc
    return path, CONTENT_TYPES.get(path.suffix.lstrip("."), "application/octet-stream")
