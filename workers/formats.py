"""How each port type is checked, written, read and summarised on disk; used by the artifact store.

One place knows the file formats (Parquet, joblib / torch.save, sorted JSON, UTF-8). No I/O policy
lives here (paths, atomicity, caching are the store's job), and nothing here imports a server.
"""

from __future__ import annotations

import json
import math
import numbers
from pathlib import Path
from typing import Any

from components.sdk.schema import schema_of
from components.sdk.types import FittedModel, FittedTransformer

# File extensions per wire type; the first is the default. ``model`` has a second one for torch.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "table": ("parquet",),
    "model": ("joblib", "pt"),
    "transformer": ("joblib",),
    "metrics": ("json",),
    "figure": ("json",),
    "text": ("txt",),
}
# Top-level keys of which a Vega-Lite specification has at least one.
VEGA_VIEW_KEYS = ("mark", "layer", "concat", "hconcat", "vconcat", "facet", "repeat", "spec")
SUMMARY_MAX_COLUMNS = 200
TEXT_PREVIEW_CHARS = 200


class ArtifactTypeError(TypeError):
    """A value does not match the port type it was declared with. The message names the port."""


def _type_name(obj: Any) -> str:
    return f"{type(obj).__module__}.{type(obj).__qualname__}"


def check_type(wire: str, obj: Any, where: str = "value") -> None:
    """Raise ``ArtifactTypeError`` unless ``obj`` may travel on a port of type ``wire``.

    ``where`` names the place for the message, e.g. ``"output 'table' of preprocessing.scaler"``.
    """
    import pandas as pd

    if wire not in EXTENSIONS:
        raise ArtifactTypeError(
            f"{where}: cannot store type {wire!r}; known types: {sorted(EXTENSIONS)}"
        )
    if wire == "table":
        ok, want = isinstance(obj, pd.DataFrame), "a pandas DataFrame"
    elif wire == "model":
        ok, want = isinstance(obj, FittedModel), "a FittedModel (components.sdk.FittedModel)"
    elif wire == "transformer":
        ok, want = isinstance(obj, FittedTransformer), "a FittedTransformer"
    elif wire == "metrics":
        ok = isinstance(obj, dict)
        want = "a dict of metric name (str) to number"
        if ok:
            bad = [k for k, v in obj.items() if not isinstance(k, str) or not _is_number(v)]
            if bad:
                raise ArtifactTypeError(
                    f"{where}: metrics must map names (str) to numbers; fix the entries {bad[:5]}"
                )
    elif wire == "figure":
        ok = isinstance(obj, dict) and any(k in obj for k in VEGA_VIEW_KEYS)
        want = f"a Vega-Lite dict with one of the keys {list(VEGA_VIEW_KEYS)}"
    else:
        ok, want = isinstance(obj, str), "a str"
    if not ok:
        raise ArtifactTypeError(f"{where} must be {want} (type {wire!r}), got {_type_name(obj)}")


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real)


def _plain_number(value: Any) -> int | float:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    return float(value)


def _json_default(value: Any) -> Any:
    """Turn numpy / pandas scalars and arrays found in figures into JSON values."""
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return value.tolist()
    if hasattr(value, "isoformat"):  # datetimes, pandas Timestamps
        return value.isoformat()
    raise TypeError(f"{_type_name(value)} is not JSON-serialisable; convert it to a plain value")


def _json_bytes(obj: Any) -> bytes:
    text = json.dumps(obj, sort_keys=True, indent=1, ensure_ascii=False, default=_json_default)
    return (text + "\n").encode("utf-8")


def _is_torch_model(obj: Any) -> bool:
    """Whether the fitted model holds a torch network, told by its classes' names: torch is not
    imported for that, nor looked up in ``sys.modules``, where another thread may be halfway
    through importing it (a sibling node's first network, or the start-up's warm imports)."""
    return any(cls.__name__ == "Module" and cls.__module__ == "torch.nn.modules.module"
               for cls in type(getattr(obj, "estimator", None)).__mro__)


def extension_for(wire: str, obj: Any) -> str:
    if wire == "model" and _is_torch_model(obj):
        return "pt"
    return EXTENSIONS[wire][0]


def write(wire: str, obj: Any, path: Path) -> None:
    """Write ``obj`` to ``path`` in the format of ``wire`` (equal values give equal bytes)."""
    if wire == "table":
        import pyarrow.parquet as pq

        pq.write_table(_arrow_table(obj), path)
    elif wire in ("model", "transformer"):
        if path.suffix == ".pt":
            import torch

            torch.save(obj, path)
        else:
            import joblib

            joblib.dump(obj, path)
    elif wire == "metrics":
        path.write_bytes(_json_bytes({k: _plain_number(v) for k, v in obj.items()}))
    elif wire == "figure":
        path.write_bytes(_json_bytes(obj))
    elif wire == "text":
        path.write_bytes(obj.encode("utf-8"))
    else:
        raise ArtifactTypeError(f"cannot store type {wire!r}")


IN_MEMORY_MAX_BYTES = 64 << 20  # tables up to this size (in memory) are encoded in memory


def encode(wire: str, obj: Any) -> bytes | memoryview | None:
    """The bytes ``write`` would store, for values that are cheap to hold in memory twice
    (tables up to ``IN_MEMORY_MAX_BYTES``, metrics, figures, text); None for the rest (models,
    large tables), which ``write`` streams to a file."""
    if wire == "table":
        if int(obj.memory_usage(index=True, deep=False).sum()) > IN_MEMORY_MAX_BYTES:
            return None
        import pyarrow as pa
        import pyarrow.parquet as pq

        sink = pa.BufferOutputStream()
        pq.write_table(_arrow_table(obj), sink)
        return memoryview(sink.getvalue())  # no copy
    if wire == "metrics":
        return _json_bytes({k: _plain_number(v) for k, v in obj.items()})
    if wire == "figure":
        return _json_bytes(obj)
    if wire == "text":
        return obj.encode("utf-8")
    return None


def _arrow_table(obj: Any) -> Any:
    import pyarrow as pa

    try:
        return pa.Table.from_pandas(obj)
    except (pa.ArrowException, ValueError, TypeError) as exc:
        raise ArtifactTypeError(
            f"this table cannot be stored as Parquet ({exc}); give every column one type "
            "and use string column names"
        ) from exc


def read(wire: str, path: Path) -> Any:
    """Load what ``write`` stored."""
    if wire == "table":
        import pandas as pd

        return pd.read_parquet(path, engine="pyarrow")
    if wire in ("model", "transformer"):
        if path.suffix == ".pt":
            import torch

            # our own store wrote this file; it holds a whole FittedModel, not just weights
            return torch.load(path, weights_only=False)
        import joblib

        return joblib.load(path)
    if wire in ("metrics", "figure"):
        return json.loads(path.read_bytes())
    if wire == "text":
        return path.read_bytes().decode("utf-8")
    raise ArtifactTypeError(f"cannot load type {wire!r}")


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, bool, int)) or value is None:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if hasattr(value, "item"):
        return _jsonable(value.item())
    return str(value)


def summarize(wire: str, obj: Any) -> dict[str, Any]:
    """A small JSON summary shown in events and the canvas without loading the artifact."""
    if wire == "table":
        cols = schema_of(obj).to_json()
        return {
            "rows": int(len(obj)),
            "columns": len(cols),
            "schema": cols[:SUMMARY_MAX_COLUMNS],
            "truncated": len(cols) > SUMMARY_MAX_COLUMNS,
        }
    if wire == "metrics":
        return {"values": {k: _jsonable(_plain_number(v)) for k, v in sorted(obj.items())}}
    if wire == "figure":
        return {"mark": _figure_mark(obj), "title": _figure_title(obj)}
    if wire == "model":
        return {
            "estimator": type(obj.estimator).__name__,
            "task": obj.task,
            "features": len(obj.features),
            "target": obj.target,
            "classes": [_jsonable(c) for c in obj.classes[:50]],
        }
    if wire == "transformer":
        return {
            "estimator": type(obj.estimator).__name__,
            "kind": obj.kind,
            "columns": len(obj.columns),
        }
    if wire == "text":
        return {"chars": len(obj), "preview": obj[:TEXT_PREVIEW_CHARS]}
    return {}


def _figure_mark(spec: dict[str, Any]) -> str | None:
    mark = spec.get("mark")
    if isinstance(mark, dict):
        mark = mark.get("type")
    if isinstance(mark, str):
        return mark
    return next((k for k in VEGA_VIEW_KEYS if k in spec), None)


def _figure_title(spec: dict[str, Any]) -> str | None:
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(str(t) for t in title)
    return title if isinstance(title, str) else None
