"""Per-node time limits where the Celery pool does not enforce them.

Celery's soft and hard time limits are enforced by the prefork pool's main process (a signal to
the child, then killing it). A solo pool, which GPU workers use (one process per device, the
model stays on it), runs tasks in the worker's only process and ignores both limits, so a GPU
node could run forever. ``enforced`` gives such a task the same two limits itself:

- soft: ``SIGALRM`` raises ``SoftTimeLimitExceeded`` in the task (the main thread), where the
  component is, like prefork's soft limit; the node fails with the usual time-limit message;
- hard: a timer thread (the main thread may be stuck in native code that never returns to Python)
  calls ``on_hard``, which records the node as failed and ends the process: like prefork killing
  its child, except that the worker itself restarts (its supervisor: compose's restart policy).

Only in the main thread (signals are delivered there): a threads pool has no time limits.

Either pool's soft limit waits for an import in progress to end (``raise_soft_limit``): an
exception raised in the middle of one leaves the module half-initialised in this process (torch
imports submodules on a network's first steps), so every later node there would fail with
"partially initialized module". Prefork's own handler raises at once; ``imports_finish_first``
puts this one in its place in each pool process.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded

IMPORT_RETRY_S = 0.05  # a soft limit that came during an import looks again this much later
# the signal the prefork pool's main process sends a child at a task's soft limit (billiard)
PREFORK_SOFT_SIGNAL = getattr(signal, "SIGUSR1", None)


def _importing(frame: Any) -> bool:
    """Whether ``frame`` (the interrupted one) or a caller of it is executing an import."""
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib._bootstrap"):
            return True
        frame = frame.f_back
    return False


def raise_soft_limit(message: str, frame: Any) -> None:
    """Raise ``SoftTimeLimitExceeded(message)`` where ``frame`` was interrupted, unless an import
    is in progress there: then ask again ``IMPORT_RETRY_S`` later (``SIGALRM``), once it is over.
    (An import that never ends is the hard limit's.) Call from a signal handler."""
    if _importing(frame):
        signal.signal(signal.SIGALRM, lambda _signum, later: raise_soft_limit(message, later))
        signal.setitimer(signal.ITIMER_REAL, IMPORT_RETRY_S)
        return
    raise SoftTimeLimitExceeded(*((message,) if message else ()))


def _prefork_soft_limit(_signum: int, frame: Any) -> None:
    raise_soft_limit("", frame)  # the exception as prefork's own handler raises it


def imports_finish_first() -> None:
    """In a prefork pool process (main thread): take over the soft-limit signal from billiard's
    handler with ``raise_soft_limit``. Once per process; cheap to call per task."""
    if PREFORK_SOFT_SIGNAL is None or threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(PREFORK_SOFT_SIGNAL) is not _prefork_soft_limit:
        signal.signal(PREFORK_SOFT_SIGNAL, _prefork_soft_limit)


def soft_limit_over() -> None:
    """A task ended: a soft limit still waiting for an import (``raise_soft_limit``) is void."""
    if threading.current_thread() is threading.main_thread():
        signal.setitimer(signal.ITIMER_REAL, 0)


@contextmanager
def prefork_soft_limit() -> Iterator[None]:
    """A prefork task's block: the soft limit its pool's main process signals waits for an
    import in progress (``imports_finish_first``), and is void once the block ends."""
    imports_finish_first()
    try:
        yield
    finally:
        soft_limit_over()


def pool_enforces_limits(pool_cls: Any) -> bool:
    """Whether a worker with pool ``pool_cls`` (``-P`` name or class) applies Celery's time
    limits by itself: prefork (and the green pools, with timers); solo and threads do not."""
    from celery.concurrency import get_implementation

    module = get_implementation(pool_cls).__module__
    return not module.endswith((".solo", ".thread"))


@contextmanager
def enforced(soft_s: float | None, hard_s: float | None,
             on_hard: Callable[[], None]) -> Iterator[None]:
    """Apply a soft (``SIGALRM`` -> ``SoftTimeLimitExceeded``, after an import in progress) and a
    hard (``on_hard`` on a timer thread) limit to the block, counted from now. Outside the main
    thread it does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = None
    if soft_s:
        def soft(_signum: int, frame: Any) -> None:
            raise_soft_limit(f"soft time limit ({soft_s:g} s) exceeded", frame)

        previous = signal.signal(signal.SIGALRM, soft)
        signal.setitimer(signal.ITIMER_REAL, soft_s)
    hard = None
    if hard_s:
        hard = threading.Timer(hard_s, on_hard)
        hard.name, hard.daemon = "designer-hard-limit", True
        hard.start()
    try:
        yield
    finally:
        if hard is not None:
            hard.cancel()
        if soft_s:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
