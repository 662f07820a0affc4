"""Hand ready nodes to whatever executes them: Celery (``workers.run_node`` on queue ``cpu`` or
``gpu``) or, in inline mode, a small thread pool in this process running the same node code.

``nodes_send`` is called after the transaction that marked the nodes ``queued`` commits, and never
raises: a node whose message is lost stays ``queued`` and the reconciler sends it again.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from typing import Protocol

from django.conf import settings
from django.db import connections

from designer.runs.execution.plans import RunGone, run_plan

logger = logging.getLogger("designer.runs.execution")

HARD_LIMIT_GRACE_S = 60.0  # hard time limit = soft limit + this (the node gets to clean up)
CPU, GPU = "cpu", "gpu"


def queue_for(step_queue: str) -> str:
    """The Celery queue for a step: ``gpu`` only when a GPU worker is configured, else ``cpu``."""
    return GPU if step_queue == GPU and settings.DESIGNER_GPU_WORKERS > 0 else CPU


def time_limits() -> tuple[float, float]:
    """``(soft, hard)`` per-node time limits in seconds."""
    soft = float(settings.DESIGNER_NODE_TIME_LIMIT_S)
    return soft, soft + HARD_LIMIT_GRACE_S


class Sender(Protocol):
    def send(self, run_id: int, items: Sequence[tuple[str, str]]) -> None:
        """Start ``(node_id, queue)`` items of run ``run_id``."""

    def backlog(self, queue: str) -> int:
        """Messages waiting (not yet taken by a worker) in ``queue``."""


SEND_BATCH = 100  # messages per Redis pipeline: workers start on the first while we send on


class CelerySender:
    """One ``workers.run_node`` message per node (ids only), through one producer, pipelined
    (kombu's publish batch: one Redis round trip per ``SEND_BATCH`` messages, not per message)."""

    def send(self, run_id: int, items: Sequence[tuple[str, str]]) -> None:
        from workers.celery import app
        from workers.tasks import run_node

        soft, hard = time_limits()
        with app.producer_or_acquire() as producer:
            batch = producer.batch(max_size=SEND_BATCH) if len(items) > 1 else nullcontext()
            with batch:
                for node_id, queue in items:
                    run_node.apply_async(
                        (run_id, node_id), queue=queue, soft_time_limit=soft, time_limit=hard,
                        producer=producer,
                    )

    def backlog(self, queue: str) -> int:
        from kombu.exceptions import ChannelError

        from workers.celery import app

        with app.connection_for_write() as conn:
            try:
                declared = conn.default_channel.queue_declare(queue=queue, passive=True)
            except ChannelError:  # "no such queue": Redis drops a list when it is empty
                return 0
            return int(declared.message_count)


class InlineSender:
    """Runs nodes on a thread pool in this process (no broker). A reconciler thread repairs the
    runs this process watches: those it started, and those unfinished when it was created (left
    over by a previous process); with nothing to watch it makes no queries."""

    def __init__(self, workers: int) -> None:
        from designer.runs.models import Run, RunStatus

        self.pool = ThreadPoolExecutor(workers, thread_name_prefix="designer-node")
        self._waiting = 0
        self._lock = threading.Lock()
        unfinished = (RunStatus.QUEUED, RunStatus.RUNNING)
        self._watch = set(Run.objects.filter(status__in=unfinished).values_list("pk", flat=True))
        threading.Thread(target=self._reconcile_forever, name="designer-reconciler",
                         daemon=True).start()

    def send(self, run_id: int, items: Sequence[tuple[str, str]]) -> None:
        for node_id, _queue in items:
            with self._lock:
                self._waiting += 1
                self._watch.add(run_id)
            self.pool.submit(self._run, run_id, node_id, uuid.uuid4().hex)

    def backlog(self, queue: str) -> int:
        return self._waiting

    def _run(self, run_id: int, node_id: str, task_id: str) -> None:
        from designer.runs.execution.node import node_execute_or_fail

        with self._lock:
            self._waiting -= 1
        try:
            node_execute_or_fail(run_id=run_id, node_id=node_id, task_id=task_id)
            self._forget_finished({run_id})
        finally:
            connections.close_all()  # an idle pool thread must not hold a database session

    def _forget_finished(self, run_ids: set[int]) -> None:
        from designer.runs.models import Run, RunStatus

        live = set(Run.objects.filter(pk__in=run_ids, status__in=(
            RunStatus.QUEUED, RunStatus.RUNNING)).values_list("pk", flat=True))
        with self._lock:
            self._watch -= run_ids - live

    def _reconcile_forever(self) -> None:
        from designer.runs.execution.reconcile import runs_reconcile

        while True:
            time.sleep(settings.DESIGNER_RECONCILE_INTERVAL_S)
            with self._lock:
                watched = set(self._watch)
            if not watched or settings.DESIGNER_EXECUTION != "inline":
                continue  # nothing in flight here (or switched to Celery, as tests do)
            try:
                runs_reconcile()
                self._forget_finished(watched)
            except Exception:  # noqa: BLE001 - keep reconciling; the next pass may succeed
                logger.exception("inline reconciler pass failed")
            finally:
                connections.close_all()


_celery_sender = CelerySender()
_inline_sender: InlineSender | None = None
_inline_lock = threading.Lock()


def sender() -> Sender:
    """The sender for ``settings.DESIGNER_EXECUTION`` (read on every call, so tests can switch)."""
    global _inline_sender
    if settings.DESIGNER_EXECUTION == "celery":
        return _celery_sender
    with _inline_lock:
        if _inline_sender is None:
            _inline_sender = InlineSender(settings.DESIGNER_INLINE_WORKERS)
        return _inline_sender


def nodes_send(run_id: int, node_ids: Sequence[str]) -> None:
    """Start the ``queued`` nodes ``node_ids`` of run ``run_id``. Never raises."""
    if not node_ids:
        return
    try:
        plan = run_plan(run_id)
        sender().send(run_id, [(n, queue_for(plan.step(n).queue)) for n in node_ids])
    except RunGone:
        return
    except Exception:  # noqa: BLE001 - the reconciler re-sends nodes left queued
        logger.exception(
            "run %s: could not send %d node(s) (%s...) to the workers; they stay queued and the "
            "reconciler sends them again once the broker answers", run_id, len(node_ids),
            node_ids[0],
        )
