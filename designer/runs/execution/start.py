"""Start executing a new run: resolve cache hits before anything is queued, then queue the ready
frontier. A fully cached run finishes here with no task sent.

Idempotent: the run moves ``queued -> running`` with a conditional update, in the transaction
that queues the frontier, so a second call (the reconciler retrying a dispatch that never
happened) does nothing. On PostgreSQL that transaction is one round trip (``fast.start``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from designer.dag.plan import ExecutionPlan
from designer.runs.artifacts import artifact_store
from designer.runs.dispatch import publish_run_events
from designer.runs.events import EventType, NewEvent, public_outputs, run_events_append
from designer.runs.execution import fast, sql
from designer.runs.execution.plans import RunGone, RunPlan, plan_remember, run_plan
from designer.runs.execution.send import nodes_send, queue_for
from designer.runs.execution.state import run_maybe_finish, send_window
from designer.runs.models import NodeRun, NodeStatus, Run, RunStatus
from workers.artifacts import ArtifactStore
from workers.executor import cached_outputs

Nodes = dict[str, tuple[int, str, bool, int]]  # node id -> (pk, status, force, parents left)


def run_execution_start(run_id: int, *, plan: ExecutionPlan | None = None,
                        nodes: Sequence[NodeRun] | None = None) -> list[str]:
    """Resolve compile-time cache hits, queue the frontier; returns the node ids queued.
    ``plan`` / ``nodes``: the run's plan and node rows as created (else read here)."""
    try:
        rp = plan_remember(run_id, plan) if plan is not None else run_plan(run_id)
    except RunGone:
        return []
    store = artifact_store()
    now = timezone.now()
    if fast.available():
        # Read without the lock: while the run is queued its nodes keep their first state, and
        # the writes below happen only if it still is.
        rows = _nodes(run_id, nodes)
        cached, remaining, frontier, events = _plan_start(rp, store, rows)
        window = send_window() or len(frontier)  # the rest: taken by workers busy with the run
        got = fast.start(run_id=run_id, cached=cached, queued=[rows[n][0] for n in frontier],
                         remaining=remaining, events=events, now=now,
                         unsent=[rows[n][0] for n in frontier[window:]])
        if got is None:
            return []  # already started, or cancelled before it started
        nodes_send(run_id, frontier[:window])
        publish_run_events(run_id, got.messages)
        if not frontier and not got.finished:
            run_maybe_finish(run_id)  # nothing runnable, and not everything cached
        return frontier
    with transaction.atomic():
        sql.relaxed_commit()
        # Holds the run row until commit: run_cancel (which locks it) waits for this to finish.
        if not Run.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
                status=RunStatus.RUNNING, started_at=now):
            return []  # already started, or cancelled before it started
        rows = _nodes(run_id)
        cached, remaining, frontier, events = _plan_start(rp, store, rows)
        sql.start_frontier(cached=cached, queued=[rows[n][0] for n in frontier],
                           remaining=remaining, now=now)
        transaction.on_commit(partial(nodes_send, run_id, frontier))
        run_events_append(run_id=run_id, events=events)
    if not frontier:
        run_maybe_finish(run_id)  # fully cached (or nothing runnable): finish now
    return frontier


def _nodes(run_id: int, created: Sequence[NodeRun] | None = None) -> Nodes:
    """The run's nodes: as just created (their first state: nothing else writes them while the
    run is queued, and the start's writes are conditional on it), else read."""
    if created is not None and all(n.pk is not None for n in created):
        return {n.node_id: (n.pk, n.status, n.force, n.remaining_parents) for n in created}
    return {n: (pk, status, force, left) for pk, n, status, force, left in
            NodeRun.objects.filter(run_id=run_id).values_list(
                "pk", "node_id", "status", "force", "remaining_parents")}


def _plan_start(rp: RunPlan, store: ArtifactStore, nodes: Nodes) -> tuple[
        dict[int, tuple[dict[str, Any], str]], dict[int, int], list[str], list[NewEvent]]:
    """Cache hits (pk -> outputs, key), new parent counts (pk -> count), the frontier and the
    events (run.started, node.cached per hit, node.queued per frontier node)."""
    waiting = (NodeStatus.PENDING, NodeStatus.READY)
    hits: dict[str, dict[str, Any]] = {}
    for step in rp.plan.steps:
        _, status, force, _ = nodes[step.step_id]
        if status in waiting and not force and step.cacheable and step.cache_key is not None:
            hit = cached_outputs(store, step, step.cache_key)
            if hit is not None:
                hits[step.step_id] = {p: r.to_dict() for p, r in hit.items()}
    cached: dict[int, tuple[dict[str, Any], str]] = {}
    remaining: dict[int, int] = {}
    frontier: list[str] = []
    cached_events: list[NewEvent] = []
    for step in rp.plan.steps:
        pk, status, _, left = nodes[step.step_id]
        if status not in waiting:
            continue
        if step.step_id in hits:
            cached[pk] = (hits[step.step_id], step.cache_key or "")
            cached_events.append(NewEvent(EventType.NODE_CACHED, step.step_id, {
                "outputs": public_outputs(hits[step.step_id]), "cache_key": step.cache_key}))
            continue
        now_left = sum(1 for p in rp.parents(step.step_id) if p not in hits)
        if now_left == 0:
            frontier.append(step.step_id)
        elif now_left != left:
            remaining[pk] = now_left
    started = NewEvent(EventType.RUN_STARTED, payload={
        "graph_hash": rp.plan.graph_hash, "steps": list(rp.steps)})
    queued = [NewEvent(EventType.NODE_QUEUED, n, {"queue": queue_for(rp.step(n).queue)})
              for n in frontier]
    return cached, remaining, frontier, [started, *cached_events, *queued]
