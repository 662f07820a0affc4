"""Execute one node of a run: the body of the ``workers.run_node`` task (and of inline mode).

Claim the node, run it with the pure ``workers.executor.run_step`` (inputs by reference from the
parents' recorded outputs), stream its logs and progress as run events, check for cancellation
cheaply, then record the outcome and advance the run (``state``). Takes ids only.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone

from designer.catalogue.selectors import component_registry
from designer.runs.artifacts import artifact_store
from designer.runs.events import EventType, NewEvent, run_events_append
from designer.runs.dispatch import publish_run_events
from designer.runs.execution import fast, sql, state
from designer.runs.execution.heartbeat import HEARTBEAT
from designer.runs.execution.plans import RunGone, RunPlan, run_plan
from designer.runs.models import NodeRun, NodeStatus, Run
from workers.executor import StepOutcome, make_context, run_step

logger = logging.getLogger("designer.runs.execution")

CANCEL_CHECK_S = 0.5  # look at Run.cancel_requested_at at most this often per node
LOG_FLUSH_S = 0.1  # buffered log lines are written at least this often while a node logs
# Progress reported in a node's first moments is written from then on (or with the node's end):
# nobody sees a progress bar of a node that is over in a blink.
PROGRESS_HOLD_S = 0.2
MAX_LOG_LINES = 5000  # per node execution; more is dropped with one notice
MAX_LOG_CHARS = 4000  # per line
TIME_LIMIT_ERROR = "SoftTimeLimitExceeded"  # what run_step reports when Celery's soft limit hits


_worker_name: tuple[int, str] = (0, "")


def worker_name() -> str:
    """``host:pid`` of this process (shown with node.started; tells which worker ran a node)."""
    global _worker_name
    pid = os.getpid()
    if _worker_name[0] != pid:  # first call in this process (a forked pool child has its own)
        _worker_name = (pid, f"{socket.gethostname()}:{pid}")
    return _worker_name[1]


class EventWriter:
    """The thread that writes running nodes' progress reports and log lines, so a component
    never waits for the database when it reports (one per process, started on first use; a
    forked worker child starts its own). A node's events are written in the order reported; the
    node's final record waits for a write in flight (``NodeSinks.drain``), so its events keep
    their order in the run's sequence."""

    IDLE_S = 2.0  # then the thread's database session is closed (it opens again on demand)

    def __init__(self) -> None:
        self._due: dict[NodeSinks, float] = {}  # -> when to write (time.monotonic())
        self._releases: list[threading.Event] = []
        self._wake = threading.Condition()
        self._pid: int | None = None

    def submit(self, sinks: NodeSinks, at: float = 0.0) -> None:
        """Write what ``sinks`` holds, not before ``at``."""
        with self._wake:
            if self._pid != os.getpid():  # first use in this process (or after a fork)
                self._pid = os.getpid()
                self._due.clear()
                self._releases.clear()
                threading.Thread(target=self._loop, name="designer-events", daemon=True).start()
            self._due[sinks] = min(self._due.get(sinks, at), at)
            self._wake.notify()

    def release(self, timeout_s: float = 5.0) -> None:
        """Make the thread close its database session now (e.g. before a test database is
        dropped); it opens a new one for the next write."""
        done = threading.Event()
        with self._wake:
            if self._pid != os.getpid():
                return  # no thread in this process
            self._releases.append(done)
            self._wake.notify()
        done.wait(timeout_s)

    def _next(self) -> tuple[NodeSinks | None, list[threading.Event]]:
        """Wait for the next write that is due (None: idle for IDLE_S) or a release request."""
        with self._wake:
            while not self._releases:
                now = time.monotonic()
                due = min(self._due.items(), key=lambda item: item[1], default=None)
                if due is not None and due[1] <= now:
                    del self._due[due[0]]
                    return due[0], []
                wait = self.IDLE_S if due is None else due[1] - now
                if not self._wake.wait(wait) and due is None:
                    return None, []
            releases, self._releases = self._releases, []
            return None, releases

    def _loop(self) -> None:
        pid = os.getpid()
        while self._pid == pid:
            sinks, releases = self._next()
            if sinks is not None:
                sinks.write()
                continue
            connections.close_all()  # idle, or asked to: no session held between bursts
            for done in releases:
                done.set()


EVENT_WRITER = EventWriter()


class NodeSinks:
    """A running node's log/progress callbacks and cancellation check.

    Progress reports and log lines are buffered and handed to the ``EVENT_WRITER`` thread:
    progress reports at once, except in a node's first ``PROGRESS_HOLD_S`` (latest progress wins
    on the node row, every report is an event), log lines when the oldest has waited
    ``LOG_FLUSH_S`` (also checked by the heartbeat thread, for a lonely line in a long silent
    step). What is still buffered when the node ends goes with its final event (``drain``): a
    short node's reports cost no writes of their own, and no thread competes with its work.
    """

    def __init__(self, run_id: int, node_id: str, pk: int) -> None:
        self.run_id, self.node_id, self.pk = run_id, node_id, pk
        self.started = time.monotonic()
        self.buffer: list[NewEvent] = []
        self.first_buffered = 0.0
        self.progress_due: dict[str, Any] | None = None  # the latest report not yet written
        self.lines = 0
        self.cancelled = False
        self.checked_at = time.monotonic()  # the claim just verified the run was not cancelled
        self.writing = False  # the writer thread holds events taken from the buffer
        self.drained = False  # the node ended: what is buffered now goes with its final event
        self._lock = threading.Condition()

    def log(self, level: str, message: str) -> None:
        self.lines += 1
        if self.lines > MAX_LOG_LINES + 1:
            return
        if self.lines == MAX_LOG_LINES + 1:
            level, message = "warning", f"more than {MAX_LOG_LINES} log lines; the rest dropped"
        with self._lock:
            if not self.buffer:
                self.first_buffered = time.monotonic()
            self.buffer.append(NewEvent(EventType.NODE_LOG, self.node_id,
                                        {"level": level, "message": message[:MAX_LOG_CHARS]}))
        self.flush_stale()

    def flush_stale(self) -> None:
        """Hand the buffered lines to the writer if the oldest has waited ``LOG_FLUSH_S``."""
        with self._lock:
            if (not self.buffer or self.drained
                    or time.monotonic() - self.first_buffered < LOG_FLUSH_S):
                return
        EVENT_WRITER.submit(self)

    def progress(self, value: float, maximum: float | None, text: str) -> None:
        """Already throttled to 10/s by ``Context.progress``; also refreshes the heartbeat."""
        payload = {"value": value, "max": maximum, "text": text}
        with self._lock:
            if self.drained:
                return
            if not self.buffer:
                self.first_buffered = time.monotonic()
            self.buffer.append(NewEvent(EventType.NODE_PROGRESS, self.node_id, payload))
            self.progress_due = payload
        EVENT_WRITER.submit(self, at=self.started + PROGRESS_HOLD_S)

    def write(self) -> None:
        """Write what is buffered (on the writer thread); never raises."""
        with self._lock:
            if not self.buffer or self.drained or self.writing:
                return
            events, self.buffer = self.buffer, []
            payload, self.progress_due = self.progress_due, None
            self.writing = True
        try:
            if fast.available():
                publish_run_events(self.run_id, fast.progress(
                    run_id=self.run_id, pk=self.pk, payload=payload, events=events,
                    now=timezone.now()))
            else:
                with sql.run_transaction(self.run_id):
                    if payload is not None:
                        NodeRun.objects.filter(pk=self.pk, status=NodeStatus.RUNNING).update(
                            progress=payload, heartbeat_at=timezone.now())
                    run_events_append(run_id=self.run_id, events=events)
        except Exception:  # noqa: BLE001 - a database hiccup must not kill a long training
            logger.warning("run %s node %s: %d event(s) not recorded", self.run_id,
                           self.node_id, len(events), exc_info=True)
        finally:
            with self._lock:
                self.writing = False
                self._lock.notify_all()

    def drain(self) -> list[NewEvent]:
        """The node ended: wait for a write in flight, then hand over what is still buffered
        (written with the node's final event, after everything written before)."""
        with self._lock:
            self.drained = True
            while self.writing:
                self._lock.wait()
            events, self.buffer = self.buffer, []
        return events

    def is_cancelled(self) -> bool:
        if self.cancelled:
            return True
        now = time.monotonic()
        if now - self.checked_at < CANCEL_CHECK_S:
            return False
        self.checked_at = now
        try:
            self.cancelled = Run.objects.filter(
                pk=self.run_id, cancel_requested_at__isnull=False).exists()
        except DatabaseError:  # unknown: keep running, ask again later
            logger.warning("run %s: cancel check failed", self.run_id, exc_info=True)
        return self.cancelled


def continue_budget_s(soft_limit_s: float | None) -> float:
    """How long into a task a finishing node may still continue with a child in the same task:
    ``DESIGNER_CONTINUE_S``, but at most 5 % of the message's soft time limit, so a continued node
    keeps at least 95 % of its own limit (Celery's limits count per message, not per node)."""
    budget = float(settings.DESIGNER_CONTINUE_S)
    if soft_limit_s:
        budget = min(budget, 0.05 * float(soft_limit_s))
    return max(budget, 0.0)


def node_execute(*, run_id: int, node_id: str, task_id: str, queue: str | None = None,
                 soft_limit_s: float | None = None) -> str | None:
    """Claim, execute and record node ``node_id`` of run ``run_id``; idempotent per message.

    Returns the node's final status, or None when there was nothing to do (already claimed or
    finished by someone else, run cancelled or deleted). Component errors never raise.

    Chain continuation (``queue``: the queue this worker took the message from): when the node
    completes children on that same queue early enough in the task (``continue_budget_s``), it
    claims and runs one of them right here instead of a broker round trip, like a task fusing
    scheduler; the others are sent as usual. The continued node goes through the same claim,
    events and records, under this message's id, so a redelivery of this message takes it over.
    """
    began = time.monotonic()
    budget = continue_budget_s(soft_limit_s) if queue else 0.0
    try:
        rp = run_plan(run_id)
        rp.step(node_id)
    except (RunGone, KeyError):
        logger.info("run %s node %s: no such run/node any more; nothing to do", run_id, node_id)
        return None
    claim = state.node_claim(rp, run_id=run_id, node_id=node_id, task_id=task_id,
                             worker=worker_name())
    if claim is None:
        # Redelivered after its worker died mid-continuation: take over the continued node.
        node_id = _continued_by(run_id, task_id, node_id) or ""
        if not node_id:
            return None
        claim = state.node_claim(rp, run_id=run_id, node_id=node_id, task_id=task_id,
                                 worker=worker_name())
    first: str | None = None
    while claim is not None:
        keep = None
        if queue and budget > 0 and time.monotonic() - began < budget:
            keep = state.ContinueHere(queue=queue, task_id=task_id, worker=worker_name())
        status, nxt = _run_claimed(rp, run_id, node_id, claim, keep)
        first = first or status
        if nxt is None:
            break
        node_id, claim = nxt
    return first


def _continued_by(run_id: int, task_id: str, other_than: str) -> str | None:
    """The node this message was running as a continuation, if it is still marked running."""
    return (NodeRun.objects.filter(run_id=run_id, task_id=task_id, status=NodeStatus.RUNNING)
            .exclude(node_id=other_than).values_list("node_id", flat=True).first())


Next = tuple[str, state.Claim] | None  # a child claimed to continue with, and its claim


def _run_claimed(rp: RunPlan, run_id: int, node_id: str, claim: state.Claim,
                 keep: state.ContinueHere | None) -> tuple[str | None, Next]:
    """Execute a claimed node and record it: ``(status or None, child to continue with)``."""
    step = rp.step(node_id)
    sinks = NodeSinks(run_id, node_id, claim.pk)
    if claim.problem is not None:
        outcome = StepOutcome("failed", error=claim.problem)
    else:
        HEARTBEAT.add(claim.pk, claim.attempt, sinks.flush_stale)
        try:
            ctx = make_context(step, data_dir=settings.DESIGNER_DATA_DIR, on_log=sinks.log,
                               on_progress=sinks.progress, is_cancelled=sinks.is_cancelled)
            outcome = run_step(step, artifact_store(), component_registry(),
                               input_refs=claim.input_refs, ctx=ctx, use_cache=True,
                               force=claim.force)
        finally:
            HEARTBEAT.remove(claim.pk)
    return _record(rp, run_id, node_id, claim, outcome, sinks.drain(), keep)


def _record(rp: RunPlan, run_id: int, node_id: str, claim: state.Claim, outcome: StepOutcome,
            events: list[NewEvent], keep: state.ContinueHere | None = None
            ) -> tuple[str | None, Next]:
    mine: dict[str, Any] = {"pk": claim.pk, "status": NodeStatus.RUNNING,
                            "attempt": claim.attempt}
    nxt: Next = None
    if outcome.ok:
        done, nxt = state.node_succeed(
            rp, run_id=run_id, node_id=node_id, claim=claim, status=outcome.status,
            outputs=outcome.outputs, cache_key=outcome.cache_key,
            duration_s=round(outcome.duration_s, 6), events=events, keep=keep)
    elif outcome.status == "cancelled":
        done = state.node_cancel(rp, run_id=run_id, node_id=node_id, only_if=mine,
                                 events=events)
    else:
        error = outcome.error or "the node failed without a message"
        if error.startswith(TIME_LIMIT_ERROR):
            error = ("the node ran longer than its time limit and was stopped; make it faster "
                     "or raise DESIGNER_NODE_TIME_LIMIT_S (seconds per node)")
        done = state.node_fail(rp, run_id=run_id, node_id=node_id, only_if=mine, error=error,
                               traceback=outcome.traceback or "", events=events)
    if not done:
        logger.warning("run %s node %s: attempt %s lost its claim (re-queued by the reconciler?);"
                       " its outcome %s is not recorded", run_id, node_id, claim.attempt,
                       outcome.status)
        return None, None
    return outcome.status, nxt


def node_fail_unexpected(
    *, run_id: int, node_id: str, task_id: str, error: str, traceback: str = "",
    queued_too: bool = True,
) -> bool:
    """The node's task itself crashed (a bug, the database gone, the hard time limit): fail the
    node this task had claimed (``node_id``, or the node it continued with), or, when it crashed
    before its claim (``queued_too``), ``node_id`` if still queued: its message is consumed, so
    nothing else would run it. The one place that writes status for task failures."""
    try:
        rp = run_plan(run_id)
    except RunGone:
        return False
    running = set(NodeRun.objects.filter(run_id=run_id, task_id=task_id,
                                         status=NodeStatus.RUNNING)
                  .values_list("node_id", flat=True))
    if not running:
        return queued_too and state.node_fail(
            rp, run_id=run_id, node_id=node_id, only_if={"status": NodeStatus.QUEUED},
            error=f"internal error before this node started: {error}; see the worker log",
            traceback=traceback,
        )
    failed = False
    for node in sorted(running):
        failed |= state.node_fail(
            rp, run_id=run_id, node_id=node,
            only_if={"status": NodeStatus.RUNNING, "task_id": task_id},
            error=f"internal error while running this node: {error}; see the worker log",
            traceback=traceback,
        )
    return failed


def node_execute_or_fail(*, run_id: int, node_id: str, task_id: str) -> None:
    """``node_execute`` for inline mode: a crash is recorded like a Celery task failure."""
    try:
        node_execute(run_id=run_id, node_id=node_id, task_id=task_id)
    except Exception as exc:  # noqa: BLE001 - same handling as DesignerTask.on_failure
        import traceback

        logger.exception("run %s node %s crashed", run_id, node_id)
        try:
            node_fail_unexpected(run_id=run_id, node_id=node_id, task_id=task_id,
                                 error=f"{type(exc).__name__}: {exc}",
                                 traceback=traceback.format_exc())
        except Exception:  # noqa: BLE001 - the reconciler repairs it later
            logger.exception("run %s node %s: could not record the crash", run_id, node_id)
