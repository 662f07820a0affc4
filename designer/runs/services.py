"""Writes for runs: start (validate, compile, create Run + NodeRuns atomically), cancel, retry,
and finishing a run. Execution itself is behind ``dispatch.run_dispatch`` (phase 2).

An invalid graph raises ``GraphRejected`` before any row is written, so no run is left behind.
State transitions are conditional updates, safe to repeat.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from designer.catalogue.selectors import component_registry
from designer.dag.compile import GraphInvalid, compile_graph
from designer.errors import Conflict, GraphRejected
from designer.runs import dispatch
from designer.runs.events import EventType, NewEvent, run_event_append, run_events_append
from designer.runs.models import (
    NODE_WAITING,
    RUN_FINISHED,
    NodeRun,
    NodeStatus,
    Run,
    RunStatus,
)
from designer.workflows import documents
from designer.workflows.selectors import version_get

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from designer.dag.plan import ExecutionPlan
    from designer.workflows.models import Workflow, WorkflowVersion


def _compile(
    version: WorkflowVersion, *, seed: int, from_node: str | None, to_node: str | None
) -> ExecutionPlan:
    graph = documents.parse_document(version.graph)
    try:  # compile_graph validates everything first (one pass) and lists every problem
        return compile_graph(
            graph, component_registry(), seed=seed, from_node=from_node, to_node=to_node
        )
    except GraphInvalid as exc:
        raise GraphRejected(
            f"The workflow cannot run: {len(exc.errors)} problem(s); fix them on the nodes listed "
            "in `errors` (POST .../validate/ shows them too).",
            [e.to_dict() for e in exc.errors],
        ) from exc


def _node_runs(run: Run, plan: ExecutionPlan, *, use_cache: bool) -> list[NodeRun]:
    in_plan = set(plan.step_ids)
    forced = set(plan.force)
    now = timezone.now()
    rows = []
    for step in plan.steps:
        parents = sum(1 for p in step.parents if p in in_plan)
        rows.append(
            NodeRun(
                run=run,
                node_id=step.step_id,
                component_id=step.component_id,
                component_version=step.component_version,
                label=step.label or "",
                status=NodeStatus.READY if parents == 0 else NodeStatus.PENDING,
                ready_at=now if parents == 0 else None,
                remaining_parents=parents,
                cache_key=step.cache_key or "",
                queue=step.queue,
                force=(not use_cache) or step.step_id in forced,
            )
        )
    return rows


def run_start(
    *,
    workflow: Workflow,
    user: AbstractBaseUser,
    version_number: int | None = None,
    from_node: str | None = None,
    to_node: str | None = None,
    use_cache: bool = True,
    seed: int = 0,
) -> Run:
    """Validate and compile the workflow's current (or given) version and create the run.

    ``from_node``: re-execute this node and everything downstream of it, reusing cached upstream
    outputs. ``to_node``: run only what this node needs. ``use_cache=False`` executes every node.
    Dispatch happens after commit.
    """
    version = (
        version_get(workflow=workflow, number=version_number)
        if version_number is not None
        else workflow.current_version
    )
    if version is None:
        raise GraphRejected("The workflow has no saved graph yet; save one first.", [])
    plan = _compile(version, seed=seed, from_node=from_node, to_node=to_node)
    if not plan.steps:
        raise GraphRejected("The workflow has no nodes to run; add components first.", [])
    with transaction.atomic():
        run = Run.objects.create(
            workflow=workflow,
            version=version,
            owner=user,
            status=RunStatus.QUEUED,
            plan=plan.to_dict(),
            options={"from_node": from_node, "to_node": to_node, "use_cache": use_cache,
                     "seed": seed},
        )
        rows = NodeRun.objects.bulk_create(_node_runs(run, plan, use_cache=use_cache))
        transaction.on_commit(partial(dispatch.run_dispatch, run.pk, plan=plan, nodes=rows))
    return run


def run_retry(*, run: Run, user: AbstractBaseUser) -> Run:
    """A new run of the same version and options with the cache on: nodes that succeeded are
    reused, failed/cancelled/skipped ones execute again."""
    options = run.options or {}
    return run_start(
        workflow=run.workflow,
        user=user,
        version_number=run.version.number,
        from_node=options.get("from_node"),
        to_node=options.get("to_node"),
        use_cache=True,
        seed=int(options.get("seed", 0)),
    )


def run_finish(*, run_id: int, status: str, error: str = "") -> bool:
    """Mark an unfinished run finished with ``status`` and emit ``run.finished``.

    Idempotent: returns False (and emits nothing) when the run was already finished.
    """
    if status not in RUN_FINISHED:
        raise ValueError(f"{status!r} is not a finished status; use one of {sorted(RUN_FINISHED)}")
    with transaction.atomic():
        changed = Run.objects.filter(
            pk=run_id, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
        ).update(status=status, error=error, finished_at=timezone.now())
        if changed:
            payload = {"status": status, "error": error} if error else {"status": status}
            run_event_append(run_id=run_id, type=EventType.RUN_FINISHED, payload=payload)
    return bool(changed)


def run_cancel(*, run: Run) -> Run:
    """Stop a run: waiting nodes are cancelled now; running nodes stop at their next progress or
    cancel check (the worker then finishes the run). A finished run is a ``Conflict`` (409)."""
    with transaction.atomic():
        locked = Run.objects.select_for_update().get(pk=run.pk)
        if locked.is_finished:
            raise Conflict(
                f"Run {run.pk} already finished ({locked.status}); there is nothing to cancel. "
                "Start a new run instead.",
                code="run_finished",
            )
        now = timezone.now()
        if locked.cancel_requested_at is None:
            Run.objects.filter(pk=run.pk).update(cancel_requested_at=now)
        waiting = list(
            NodeRun.objects.filter(run_id=run.pk, status__in=NODE_WAITING)
            .order_by("id")
            .values_list("node_id", flat=True)
        )
        NodeRun.objects.filter(run_id=run.pk, status__in=NODE_WAITING).update(
            status=NodeStatus.CANCELLED, finished_at=now, unsent=False
        )
        run_events_append(
            run_id=run.pk,
            events=[NewEvent(type=EventType.NODE_CANCELLED, node_id=n) for n in waiting],
        )
        if not NodeRun.objects.filter(run_id=run.pk, status=NodeStatus.RUNNING).exists():
            run_finish(run_id=run.pk, status=RunStatus.CANCELLED)
    run.refresh_from_db()
    return run
