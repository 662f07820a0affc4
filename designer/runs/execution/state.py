"""Node and run state transitions for execution, each a conditional update (safe to repeat).

- ``node_claim``: ``queued -> running`` (or a takeover by the same message after its worker died),
  refused once the run is cancelled.
- ``node_succeed``: record outputs and, in the same transaction, decrement every child's count of
  unfinished parents, moving the children that reach zero to ``queued`` (one UPDATE ... RETURNING).
- ``node_fail`` / ``node_cancel``: end a node; a failure skips its waiting descendants.
- ``run_maybe_finish``: end the run once nothing is pending, queued or running.
Children are sent only after commit, so a worker never sees a row the database rolls back.
Claim and success take one round trip each on PostgreSQL (``fast``), else the same steps here.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from designer.runs.dispatch import publish_run_events
from designer.runs.events import EventType, NewEvent, public_outputs, run_events_append
from designer.runs.execution import fast, sql
from designer.runs.execution.plans import RunPlan
from designer.runs.execution.send import CPU, GPU, nodes_send, queue_for
from designer.runs.models import NodeRun, NodeStatus, Run, RunStatus
from designer.runs.services import run_finish
from workers.artifacts import ArtifactRef

logger = logging.getLogger("designer.runs.execution")

ACTIVE = sql.ACTIVE
UPSTREAM_FAILED = "upstream failed"


@dataclass(frozen=True)
class Claim:
    """A node this process now runs: its row, attempt number and input references."""

    pk: int
    attempt: int
    force: bool
    input_refs: dict[str, list[ArtifactRef]] = field(default_factory=dict)
    problem: str | None = None  # inputs that are not available (should not happen)


def node_claim(
    rp: RunPlan, *, run_id: int, node_id: str, task_id: str, worker: str
) -> Claim | None:
    """Take node ``node_id`` for execution, or None when someone else has it / it must not run.

    Claims a ``queued`` node, or a ``running`` one whose claim came from this very message
    (``task_id``): the broker only hands a message out again when the worker holding it died.
    """
    now = timezone.now()
    if fast.available():
        got = fast.claim(run_id=run_id, node_id=node_id, task_id=task_id, worker=worker,
                         max_attempts=settings.DESIGNER_NODE_MAX_ATTEMPTS,
                         parents=rp.parents(node_id), now=now)
        if got is None:
            _claim_refused(rp, run_id=run_id, node_id=node_id, task_id=task_id)
            return None
        publish_run_events(run_id, got.messages)
        refs, problem = _input_refs(rp, node_id, got.parents)
        return Claim(pk=got.pk, attempt=got.attempt, force=got.force, input_refs=refs,
                     problem=problem)
    # Read before taking the run lock: a node is queued only once its parents are done, and a
    # done node's outputs never change.
    parents = sql.outputs_of(run_id, rp.parents(node_id))
    with sql.run_transaction(run_id):
        claimed = sql.claim(run_id=run_id, node_id=node_id, task_id=task_id, now=now,
                            max_attempts=settings.DESIGNER_NODE_MAX_ATTEMPTS)
        if claimed is not None:
            pk, attempt, force = claimed
            run_events_append(run_id=run_id, events=[NewEvent(
                EventType.NODE_STARTED, node_id, {"attempt": attempt, "worker": worker})])
    if claimed is None:
        _claim_refused(rp, run_id=run_id, node_id=node_id, task_id=task_id)
        return None
    refs, problem = _input_refs(rp, node_id, parents)
    return Claim(pk=pk, attempt=attempt, force=force, input_refs=refs, problem=problem)


def _input_refs(
    rp: RunPlan, node_id: str, parents: dict[str, tuple[str, dict[str, Any]]]
) -> tuple[dict[str, list[ArtifactRef]], str | None]:
    refs: dict[str, list[ArtifactRef]] = {}
    for port, edges in rp.step(node_id).inputs.items():
        refs[port] = []
        for edge in edges:
            status, outputs = parents.get(edge.step_id, ("missing", {}))
            data = outputs.get(edge.port)
            if not isinstance(data, dict):
                return {}, (f"input {port!r} needs output {edge.port!r} of node {edge.step_id!r}, "
                            f"which is not available (that node is {status}); rerun the workflow")
            refs[port].append(ArtifactRef.from_dict(data))
    return refs, None


def _claim_refused(rp: RunPlan, *, run_id: int, node_id: str, task_id: str) -> None:
    """The claim failed. If this message's own earlier execution died, end the node for good."""
    row = (NodeRun.objects.filter(run_id=run_id, node_id=node_id)
           .values_list("status", "task_id", "attempt").first())
    if row is None or row[0] != NodeStatus.RUNNING or row[1] != task_id:
        return  # finished, cancelled, or another message has it: nothing to do
    mine = {"status": NodeStatus.RUNNING, "task_id": task_id}
    if Run.objects.filter(pk=run_id, cancel_requested_at__isnull=False).exists():
        node_cancel(rp, run_id=run_id, node_id=node_id, only_if=mine,
                    error="the run was cancelled while the worker running this node was lost")
    else:
        node_fail(rp, run_id=run_id, node_id=node_id, only_if=mine, error=(
            f"the worker process running this node died {row[2]} time(s) (killed, or out of "
            "memory?); it is not retried again. Check the worker log, give the worker more "
            "memory, or raise DESIGNER_NODE_MAX_ATTEMPTS."))


DONE_MEMO = 4096  # finished nodes' outputs remembered per process (they never change)
_done: dict[tuple[int, str], tuple[str, dict[str, Any]]] = {}


def _parents_done(run_id: int, parents: Sequence[str],
                  known: dict[str, tuple[str, dict[str, Any]]]
                  ) -> dict[str, tuple[str, dict[str, Any]]]:
    """``{parent: (status, outputs)}`` for a node taken from the run's unsent nodes (its parents
    were not read with the claim): from ``known``, then this process's memo of finished nodes
    (the fan-out's source, read once), then the database."""
    found = {p: known[p] for p in parents if p in known}
    found.update({p: _done[(run_id, p)] for p in parents
                  if p not in found and (run_id, p) in _done})
    missing = [p for p in parents if p not in found]
    if missing:
        read = sql.outputs_of(run_id, missing)
        found.update(read)
        for node, row in read.items():
            if row[0] in (NodeStatus.SUCCEEDED, NodeStatus.CACHED):
                if len(_done) >= DONE_MEMO:
                    _done.pop(next(iter(_done)))
                _done[(run_id, node)] = row
    return found


def send_window() -> int | None:
    """How many of the nodes one transition queues get a message at once (the rest stay unsent
    for workers busy with the run): ``DESIGNER_SEND_WINDOW`` with Celery; all in inline mode,
    whose threads never continue a run."""
    return settings.DESIGNER_SEND_WINDOW if settings.DESIGNER_EXECUTION == "celery" else None


def served_queues(queue: str) -> list[str]:
    """The ``NodeRun.queue`` values whose nodes go to Celery queue ``queue``."""
    return [q for q in (CPU, GPU) if queue_for(q) == queue]


def hand_over(run_id: int) -> None:
    """A task that ends without continuing (its node failed) sends one unsent node of its run,
    so a wide run keeps its messages in flight."""
    if fast.available():
        nodes_send(run_id, fast.hand_over(run_id))


@dataclass(frozen=True)
class ContinueHere:
    """Continue in this task with a child the success queues on ``queue`` (see node.py)."""

    queue: str
    task_id: str
    worker: str


def node_succeed(
    rp: RunPlan, *, run_id: int, node_id: str, claim: Claim, status: str,
    outputs: dict[str, ArtifactRef], cache_key: str | None, duration_s: float,
    events: list[NewEvent], keep: ContinueHere | None = None,
) -> tuple[bool, tuple[str, Claim] | None]:
    """Record a succeeded/cached node and queue the children it completes.

    Returns ``(recorded, next)``: ``recorded`` is False when this attempt lost its claim. With
    ``keep``, the first child that became queued on ``keep.queue`` is claimed for the caller
    (``next``: its id and claim) instead of being sent; the others are sent as usual.
    """
    now = timezone.now()
    data = {p: r.to_dict() for p, r in outputs.items()}
    if status == NodeStatus.CACHED:
        done = NewEvent(EventType.NODE_CACHED, node_id, {"outputs": public_outputs(data),
                                                         "cache_key": cache_key})
    else:
        done = NewEvent(EventType.NODE_SUCCEEDED, node_id, {"outputs": public_outputs(data),
                                                            "duration_s": duration_s})
    queues = {c: queue_for(rp.step(c).queue) for c in rp.children[node_id]}
    eligible = [c for c, q in queues.items() if keep is not None and q == keep.queue]
    if fast.available():
        then = None
        if keep is not None:
            then = fast.Continue(children=eligible, task_id=keep.task_id, worker=keep.worker,
                                 parents=sorted({p for c in eligible for p in rp.parents(c)}),
                                 queues=served_queues(keep.queue))
        got = fast.succeed(run_id=run_id, pk=claim.pk, attempt=claim.attempt, status=status,
                           outputs=data, cache_key=cache_key or "",
                           children=list(queues.items()), events=[*events, done], now=now,
                           then=then, window=send_window())
        if got is None:
            return False, None
        nxt = None
        if got.claimed is not None:
            node, claimed = got.claimed
            parents = _parents_done(run_id, rp.parents(node), claimed.parents)
            refs, problem = _input_refs(rp, node, parents)
            nxt = (node, Claim(pk=claimed.pk, attempt=claimed.attempt, force=claimed.force,
                               input_refs=refs, problem=problem))
        held = set(got.unsent)  # no message: the run's busy workers take them
        if nxt is not None:
            held.add(nxt[0])  # runs here next
        nodes_send(run_id, [*(c for c in got.ready if c not in held), *got.handed])
        publish_run_events(run_id, got.messages)  # children first, then the events
        if not got.active and not got.finished:  # cancelled, or failed somewhere: decide here
            run_maybe_finish(run_id)
        return True, nxt
    # Statement by statement (SQLite, or no fast path): continue with a child it completes only;
    # unsent and waiting queued nodes are taken on the fast path alone (claim_next).
    with sql.run_transaction(run_id):
        if not sql.record_success(pk=claim.pk, attempt=claim.attempt, status=status,
                                  outputs=data, cache_key=cache_key or "", now=now):
            return False, None
        ready = sql.advance_children(run_id, rp.children[node_id], now)
        kept = next((c for c in ready if c in eligible), None)
        # Registered before the events: children are sent first, then the events published.
        transaction.on_commit(partial(nodes_send, run_id, [c for c in ready if c != kept]))
        queued = [NewEvent(EventType.NODE_QUEUED, c, {"queue": queues[c]}) for c in ready]
        run_events_append(run_id=run_id, events=[*events, done, *queued])
    if not ready:
        run_maybe_finish(run_id)
    if kept is None or keep is None:
        return True, None
    kept_claim = node_claim(rp, run_id=run_id, node_id=kept, task_id=keep.task_id,
                            worker=keep.worker)
    if kept_claim is None:  # cancelled meanwhile: let its message meet the refusal as usual
        nodes_send(run_id, [kept])
        return True, None
    return True, (kept, kept_claim)


def _skip_descendants(rp: RunPlan, run_id: int, node_id: str, now: datetime) -> list[NewEvent]:
    """Mark the waiting nodes below ``node_id`` skipped (through pending nodes only, like the
    local runner: a child that already has its inputs from the cache still runs)."""
    pending = set(NodeRun.objects.select_for_update().filter(
        run_id=run_id, status=NodeStatus.PENDING).values_list("node_id", flat=True))
    skipped: list[str] = []
    frontier = [node_id]
    while frontier:
        for child in rp.children[frontier.pop()]:
            if child in pending:
                pending.discard(child)
                skipped.append(child)
                frontier.append(child)
    if skipped:
        NodeRun.objects.filter(run_id=run_id, node_id__in=skipped,
                               status=NodeStatus.PENDING).update(
            status=NodeStatus.SKIPPED, finished_at=now,
            error=f"not run: upstream node {node_id!r} failed")
    payload = {"reason": UPSTREAM_FAILED, "upstream": node_id}
    return [NewEvent(EventType.NODE_SKIPPED, n, payload) for n in skipped]


def node_fail(
    rp: RunPlan, *, run_id: int, node_id: str, only_if: dict[str, Any], error: str,
    traceback: str = "", events: list[NewEvent] | None = None,
) -> bool:
    """Fail the node if it still matches ``only_if``; skip its waiting descendants."""
    now = timezone.now()
    with sql.run_transaction(run_id):
        failed = NodeRun.objects.filter(run_id=run_id, node_id=node_id, **only_if).update(
            status=NodeStatus.FAILED, error=error, traceback=traceback, finished_at=now,
            unsent=False)
        if not failed:
            return False
        skipped = _skip_descendants(rp, run_id, node_id, now)
        done = NewEvent(EventType.NODE_FAILED, node_id, {"error": error, "traceback": traceback})
        run_events_append(run_id=run_id, events=[*(events or []), done, *skipped])
    run_maybe_finish(run_id)
    hand_over(run_id)  # the task that ran it may have been carrying the run's unsent nodes
    return True


def node_cancel(
    rp: RunPlan, *, run_id: int, node_id: str, only_if: dict[str, Any], error: str = "",
    events: list[NewEvent] | None = None,
) -> bool:
    """Mark the node cancelled if it still matches ``only_if`` (the run was cancelled)."""
    with sql.run_transaction(run_id):
        stopped = NodeRun.objects.filter(run_id=run_id, node_id=node_id, **only_if).update(
            status=NodeStatus.CANCELLED, error=error, finished_at=timezone.now(), unsent=False)
        if not stopped:
            return False
        payload = {"error": error} if error else {}
        run_events_append(run_id=run_id, events=[
            *(events or []), NewEvent(EventType.NODE_CANCELLED, node_id, payload)])
    run_maybe_finish(run_id)
    return True


def _failure_summary(run_id: int) -> str:
    rows = list(NodeRun.objects.filter(run_id=run_id, status=NodeStatus.FAILED)
                .order_by("id").values_list("node_id", "error"))
    skipped = NodeRun.objects.filter(run_id=run_id, status=NodeStatus.SKIPPED).count()
    if not rows:
        return f"{skipped} node(s) did not run" if skipped else ""
    node, error = rows[0]
    first_line = (error or "no message").strip().splitlines()[0][:300]
    more = f" and {len(rows) - 1} other(s)" if len(rows) > 1 else ""
    tail = f"; {skipped} downstream node(s) skipped" if skipped else ""
    return f"node {node!r}{more} failed: {first_line}{tail}"


def run_maybe_finish(run_id: int) -> bool:
    """Finish the run when no node is waiting, queued or running. Call after commit: of two
    nodes ending at the same time, the later committer sees the other one finished."""
    if sql.has_active_nodes(run_id):
        return False
    cancel = Run.objects.filter(pk=run_id).values_list("cancel_requested_at", "status").first()
    if cancel is None or cancel[1] not in (RunStatus.QUEUED, RunStatus.RUNNING):
        return False
    if cancel[0] is not None:
        return run_finish(run_id=run_id, status=RunStatus.CANCELLED)
    bad = (NodeStatus.FAILED, NodeStatus.SKIPPED, NodeStatus.CANCELLED)
    if NodeRun.objects.filter(run_id=run_id, status__in=bad).exists():
        return run_finish(run_id=run_id, status=RunStatus.FAILED,
                          error=_failure_summary(run_id))
    return run_finish(run_id=run_id, status=RunStatus.SUCCEEDED)
