"""The libraries a process imports before its first node needs them: seconds that a user's first
run would otherwise pay (scikit-learn, pyarrow's Parquet reader, PyTorch), paid at start instead.

A Celery worker imports them before its pool forks (shared copy-on-write by the pool processes,
and never inside a node's time limit); the web process in inline mode, which runs the nodes
itself, imports them on a background thread while it starts serving. No Celery import here.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from collections.abc import Iterable
from typing import Any

logger = logging.getLogger("workers")

# Components import these lazily. (pyarrow.dataset: the first Parquet read's, 0.4 s; xgboost
# costs little once scikit-learn is in.)
WARM_IMPORTS = (
    "pyarrow.parquet", "pyarrow.dataset", "joblib", "sklearn.cluster", "sklearn.datasets",
    "sklearn.ensemble", "sklearn.linear_model", "sklearn.metrics", "sklearn.model_selection",
    "sklearn.preprocessing", "sklearn.tree",
)
# PyTorch, and what it imports on a network's first steps: ~3 s that the first GPU component in
# each process would otherwise pay (and an import that a time limit could interrupt).
GPU_WARM_IMPORTS = ("torch", "torch._dynamo")


def warm_imports(consumed: Any, gpu_workers: int) -> tuple[str, ...]:
    """The modules to import at start for a worker consuming ``consumed`` (queue names; None or
    empty: -Q not given, so every queue): with PyTorch where GPU components will run, i.e. on
    the gpu queue, or on the cpu queue while no GPU worker is configured (``gpu_workers`` 0:
    they fall back to it, as on a laptop)."""
    queues = set(consumed or ("cpu", "gpu"))
    gpu_nodes_here = "gpu" in queues or ("cpu" in queues and gpu_workers == 0)
    return WARM_IMPORTS + (GPU_WARM_IMPORTS if gpu_nodes_here else ())


def import_modules(names: Iterable[str]) -> list[str]:
    """Import ``names``; returns those that could not be (an optional library missing only
    costs its first node the attempt)."""
    missing = []
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:
            logger.warning("could not pre-import %s", name)
            missing.append(name)
    return missing


def import_in_background(names: Iterable[str]) -> threading.Thread:
    """``import_modules(names)`` on a daemon thread, started; a node that needs one of them
    meanwhile waits for that import (Python's module locks) instead of doing it again."""
    names = tuple(names)

    def body() -> None:
        start = time.monotonic()
        import_modules(names)
        logger.info("libraries for the nodes imported in %.1f s", time.monotonic() - start)

    thread = threading.Thread(target=body, name="designer-warm-imports", daemon=True)
    thread.start()
    return thread
