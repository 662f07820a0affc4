"""The execution context a component receives: logging, throttled progress, seed, device,
cooperative cancellation and sandboxed file access.

The runner that builds a ``Context`` decides where logs and progress go (a list in tests, the
database and WebSocket on the server). Components never open paths themselves: ``open_file``
resolves a relative path inside the data folder the runner allows, or refuses it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

LogSink = Callable[[str, str], None]  # (level, message)
ProgressSink = Callable[[float, float | None, str], None]  # (value, max, text)

PROGRESS_MIN_INTERVAL_S = 0.1  # at most 10 progress reports per second per node


class Cancelled(Exception):
    """Raised by ``Context.check_cancelled`` when the run was cancelled; the runner catches it."""


def _ignore_log(level: str, message: str) -> None:
    return None


def _ignore_progress(value: float, maximum: float | None, text: str) -> None:
    return None


@dataclass
class Context:
    """What a component may use besides its inputs and params. Build one per node execution."""

    node_id: str = "node"
    seed: int = 0
    device: str = "cpu"
    data_dir: Path | None = None
    on_log: LogSink = _ignore_log
    on_progress: ProgressSink = _ignore_progress
    is_cancelled: Callable[[], bool] = lambda: False
    clock: Callable[[], float] = time.monotonic
    _last_progress: float = field(default=float("-inf"), repr=False)
    logs: list[tuple[str, str]] = field(default_factory=list, repr=False)

    # logging -----------------------------------------------------------------------------
    def log(self, message: str, level: str = "info") -> None:
        """Record a log line for this node (shown in the canvas logs panel)."""
        self.logs.append((level, message))
        self.on_log(level, message)

    def warning(self, message: str) -> None:
        self.log(message, "warning")

    # progress ----------------------------------------------------------------------------
    def progress(self, value: float, maximum: float | None = None, text: str = "") -> None:
        """Report progress; throttled to 10/s, but the final step (value >= maximum) always goes.

        Also a cancellation point: raises ``Cancelled`` when the run was cancelled.
        """
        self.check_cancelled()
        now = self.clock()
        final = maximum is not None and value >= maximum
        if not final and now - self._last_progress < PROGRESS_MIN_INTERVAL_S:
            return
        self._last_progress = now
        self.on_progress(float(value), None if maximum is None else float(maximum), text)

    # cancellation ------------------------------------------------------------------------
    def check_cancelled(self) -> None:
        if self.is_cancelled():
            raise Cancelled(f"node {self.node_id} was cancelled")

    # randomness --------------------------------------------------------------------------
    @property
    def random_state(self) -> int:
        """An int seed for libraries that take ``random_state`` (scikit-learn, XGBoost)."""
        return self.seed

    def rng(self) -> Any:
        """A fresh numpy Generator seeded with this node's seed."""
        import numpy as np

        return np.random.default_rng(self.seed)

    # files -------------------------------------------------------------------------------
    def resolve_path(self, path: str) -> Path:
        """Resolve ``path`` inside the allowed data folder; refuse anything outside it."""
        if self.data_dir is None:
            raise PermissionError("this run has no data folder; file components cannot run here")
        root = Path(self.data_dir).resolve()
        target = (root / path).resolve()
        if target != root and root not in target.parents:
            raise PermissionError(f"path {path!r} leaves the data folder; use a relative path")
        return target

    def open_file(self, path: str, mode: str = "rb") -> IO[Any]:
        target = self.resolve_path(path)
        if any(m in mode for m in "wax"):
            target.parent.mkdir(parents=True, exist_ok=True)
        return open(target, mode)  # noqa: SIM115 - the caller closes it
