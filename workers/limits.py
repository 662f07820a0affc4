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
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded


def pool_enforces_limits(pool_cls: Any) -> bool:
    """Whether a worker with pool ``pool_cls`` (``-P`` name or class) applies Celery's time
    limits by itself: prefork (and the green pools, with timers); solo and threads do not."""
    from celery.concurrency import get_implementation

    module = get_implementation(pool_cls).__module__
    return not module.endswith((".solo", ".thread"))


@contextmanager
def enforced(soft_s: float | None, hard_s: float | None,
             on_hard: Callable[[], None]) -> Iterator[None]:
    """Apply a soft (``SIGALRM`` -> ``SoftTimeLimitExceeded``) and a hard (``on_hard`` on a timer
    thread) limit to the block, counted from now. Outside the main thread it does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = None
    if soft_s:
        def soft(_signum: int, _frame: Any) -> None:
            raise SoftTimeLimitExceeded(f"soft time limit ({soft_s:g} s) exceeded")

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
