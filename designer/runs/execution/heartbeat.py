"""Heartbeats of the nodes running in this process: one daemon thread stamps ``heartbeat_at`` of
all of them every ``DESIGNER_HEARTBEAT_S`` seconds, so the reconciler can tell a long node from
one whose worker died, and flushes their waiting log lines. Started lazily in each process (a
forked worker child starts its own).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import connections
from django.db.models import Q
from django.utils import timezone

from designer.runs.models import NodeRun, NodeStatus

logger = logging.getLogger("designer.runs.execution")


class Heartbeat:
    """Registry of running node rows (pk -> attempt, flush callback) and the thread that keeps
    them alive."""

    def __init__(self) -> None:
        self._nodes: dict[int, tuple[int, Callable[[], None]]] = {}
        self._lock = threading.Lock()
        self._beating = threading.Lock()  # held during a beat: remove() waits for it
        self._pid: int | None = None

    def add(self, pk: int, attempt: int, flush: Callable[[], None] = lambda: None) -> None:
        with self._lock:
            self._nodes[pk] = (attempt, flush)
            if self._pid != os.getpid():  # first node in this process (or after a fork)
                self._pid = os.getpid()
                threading.Thread(target=self._loop, name="designer-heartbeat",
                                 daemon=True).start()

    def remove(self, pk: int) -> None:
        """Forget the node; once this returns, no beat touches it (its final events come last)."""
        with self._beating, self._lock:
            self._nodes.pop(pk, None)

    def beat(self) -> int:
        """Stamp every registered node now and flush its old log lines; returns rows stamped."""
        with self._beating:
            with self._lock:
                nodes = dict(self._nodes)
            if not nodes:
                return 0
            match = reduce(or_, (Q(pk=pk, attempt=a) for pk, (a, _) in nodes.items()))
            stamped = NodeRun.objects.filter(match, status=NodeStatus.RUNNING).update(
                heartbeat_at=timezone.now())
            for _, flush in nodes.values():
                flush()
            return stamped

    def _loop(self) -> None:
        pid = os.getpid()
        while self._pid == pid:
            time.sleep(settings.DESIGNER_HEARTBEAT_S)
            try:
                self.beat()
            except Exception:  # noqa: BLE001 - the database may be back at the next beat
                logger.warning("could not record node heartbeats", exc_info=True)
            finally:
                connections.close_all()  # this thread's session, idle between beats


HEARTBEAT = Heartbeat()
