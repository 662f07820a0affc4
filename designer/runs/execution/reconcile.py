"""The reconciler: repairs runs off the hot path (Celery beat every few seconds; a thread in inline
mode). Each repair is a conditional update, so two passes at once do no harm.

1. Runs created but never dispatched (the web process died after commit) are dispatched.
2. Cancelled runs: waiting nodes are cancelled; running nodes whose worker is gone too.
3. Running nodes without a heartbeat for ``DESIGNER_NODE_STALE_S`` (worker lost) are queued again,
   or failed with a reason after ``DESIGNER_NODE_MAX_ATTEMPTS``.
4. Queued nodes whose message is lost (Redis restarted, or the send failed) are sent again when
   their queue holds no waiting messages (duplicates are harmless: the claim is conditional);
   after ``DESIGNER_NODE_MAX_RESENDS`` sends that no worker claimed, the node fails with a reason.
   Unsent nodes (beyond ``DESIGNER_SEND_WINDOW``) are sent once no node of their run is running
   (nobody is left to take them).
5. Runs with nothing left to do are finished.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from designer.runs.events import EventType, NewEvent, run_events_append
from designer.runs.execution import sql, state
from designer.runs.execution.plans import RunGone, run_plan
from designer.runs.execution.send import nodes_send, queue_for, sender
from designer.runs.models import NODE_WAITING, NodeRun, NodeStatus, Run, RunStatus

logger = logging.getLogger("designer.runs.execution")
UNFINISHED = (RunStatus.QUEUED, RunStatus.RUNNING)


def runs_reconcile() -> dict[str, int]:
    """One pass; returns what it did, e.g. ``{"requeued": 1, "finished": 1}`` (logged too)."""
    now = timezone.now()
    done: Counter[str] = Counter()
    _undispatched(now, done)
    _cancelled(now, done)
    _stale_running(now, done)
    _lost_queued(now, done)
    for run_id in (Run.objects.filter(status=RunStatus.RUNNING)
                   .exclude(nodes__status__in=state.ACTIVE).values_list("pk", flat=True)):
        done["finished"] += state.run_maybe_finish(run_id)
    report = {what: count for what, count in done.items() if count}
    if report:
        logger.info("reconciler: %s", report)
    return report


def _undispatched(now: datetime, done: Counter[str]) -> None:
    from designer.runs.dispatch import run_dispatch

    grace = now - timedelta(seconds=settings.DESIGNER_REQUEUE_AFTER_S)
    for run_id in Run.objects.filter(status=RunStatus.QUEUED, created_at__lt=grace,
                                     cancel_requested_at__isnull=True).values_list("pk",
                                                                                   flat=True):
        run_dispatch(run_id)
        done["dispatched"] += 1


def _cancelled(now: datetime, done: Counter[str]) -> None:
    stale = now - timedelta(seconds=settings.DESIGNER_NODE_STALE_S)
    rows = NodeRun.objects.filter(
        Q(status__in=NODE_WAITING) | Q(status=NodeStatus.RUNNING, heartbeat_at__lt=stale),
        run__status__in=UNFINISHED, run__cancel_requested_at__isnull=False,
    )
    for run_id, node_id, status in rows.values_list("run_id", "node_id", "status"):
        try:
            rp = run_plan(run_id)
        except RunGone:
            continue
        reason = "" if status != NodeStatus.RUNNING else "the worker running it was lost"
        only_if = {"status": status} if status != NodeStatus.RUNNING else {
            "status": status, "heartbeat_at__lt": stale}
        done["cancelled"] += state.node_cancel(rp, run_id=run_id, node_id=node_id,
                                               only_if=only_if, error=reason)


def _stale_running(now: datetime, done: Counter[str]) -> None:
    stale = now - timedelta(seconds=settings.DESIGNER_NODE_STALE_S)
    rows = NodeRun.objects.filter(status=NodeStatus.RUNNING, heartbeat_at__lt=stale,
                                  run__cancel_requested_at__isnull=True)
    for pk, run_id, node_id, attempt, beat in rows.values_list(
            "pk", "run_id", "node_id", "attempt", "heartbeat_at"):
        try:
            rp = run_plan(run_id)
        except RunGone:
            continue
        mine = {"pk": pk, "status": NodeStatus.RUNNING, "attempt": attempt, "heartbeat_at": beat}
        silent = int((now - beat).total_seconds())
        if attempt >= settings.DESIGNER_NODE_MAX_ATTEMPTS:
            done["failed"] += state.node_fail(rp, run_id=run_id, node_id=node_id, only_if=mine,
                                              error=(
                f"the worker running this node stopped responding (no heartbeat for {silent} s)"
                f" on all {attempt} attempts; check the worker logs (killed, out of memory?)"))
            continue
        with sql.run_transaction(run_id):
            if not NodeRun.objects.filter(**mine).update(
                    status=NodeStatus.QUEUED, task_id="", queued_at=now):
                continue
            transaction.on_commit(partial(nodes_send, run_id, [node_id]))
            run_events_append(run_id=run_id, events=[NewEvent(
                EventType.NODE_QUEUED, node_id, {
                    "queue": queue_for(rp.step(node_id).queue),
                    "reason": f"worker lost (no heartbeat for {silent} s); attempt {attempt + 1}",
                })])
        done["requeued"] += 1


def _lost_queued(now: datetime, done: Counter[str]) -> None:
    old = now - timedelta(seconds=settings.DESIGNER_REQUEUE_AFTER_S)
    rows = NodeRun.objects.filter(status=NodeStatus.QUEUED, queued_at__lt=old,
                                  run__status=RunStatus.RUNNING,
                                  run__cancel_requested_at__isnull=True)
    by_queue: dict[str, list[tuple[int, int, str, bool, int]]] = defaultdict(list)
    busy = set(NodeRun.objects.filter(status=NodeStatus.RUNNING, run__status=RunStatus.RUNNING)
               .values_list("run_id", flat=True).distinct())
    for pk, run_id, node_id, queue, unsent, resends in rows.values_list(
            "pk", "run_id", "node_id", "queue", "unsent", "resends"):
        if unsent and run_id in busy:
            continue  # a worker running this run takes it next (or sends it when it ends)
        by_queue[queue_for(queue)].append((pk, run_id, node_id, unsent, resends))
    for queue, nodes in by_queue.items():
        try:
            waiting = sender().backlog(queue)
        except Exception:  # noqa: BLE001 - broker down: try again next pass
            logger.warning("reconciler: cannot reach the broker to inspect queue %r", queue,
                           exc_info=True)
            continue
        if waiting:
            continue  # workers are still working through the queue; these may be in it
        per_run: dict[int, list[str]] = defaultdict(list)
        for pk, run_id, node_id, unsent, resends in nodes:
            if unsent:  # never had a message: its first send, not a resend
                if NodeRun.objects.filter(pk=pk, status=NodeStatus.QUEUED, unsent=True).update(
                        queued_at=now, unsent=False):
                    per_run[run_id].append(node_id)
                    done["sent"] += 1
            elif resends >= settings.DESIGNER_NODE_MAX_RESENDS:
                done["failed"] += _fail_unclaimed(pk, run_id, node_id, queue)
            elif NodeRun.objects.filter(pk=pk, status=NodeStatus.QUEUED).update(
                    queued_at=now, resends=F("resends") + 1):
                per_run[run_id].append(node_id)
                done["resent"] += 1
        for run_id, node_ids in per_run.items():
            nodes_send(run_id, node_ids)


def _fail_unclaimed(pk: int, run_id: int, node_id: str, queue: str) -> bool:
    """Fail a queued node whose task was sent ``DESIGNER_NODE_MAX_RESENDS`` times already and
    never claimed (each send vanished, or its task crashed before the claim without recording
    it): sending it again would go on forever."""
    try:
        rp = run_plan(run_id)
    except RunGone:
        return False
    limit = settings.DESIGNER_NODE_MAX_RESENDS
    waited = int(limit * settings.DESIGNER_REQUEUE_AFTER_S)
    return state.node_fail(
        rp, run_id=run_id, node_id=node_id, only_if={"pk": pk, "status": NodeStatus.QUEUED},
        error=(f"no worker started this node: its task was sent {limit + 1} times over about "
               f"{waited} s to queue {queue!r} and never claimed; check the worker logs for "
               "crashes before the task started, and that a worker consumes that queue"))
