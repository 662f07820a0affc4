"""Reads for runs, scoped to the requesting user: someone else's run is a 404, never a 403."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet

from designer.errors import NotFound, check_id
from designer.runs.events import EventType
from designer.runs.models import NodeRun, Run, RunEvent

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from designer.workflows.models import Workflow

EVENTS_PAGE_MAX = 1000


# What run reads for the API and the websocket snapshot leave out: the compiled plan and the
# version's graph document (each ~0.5 KB per node, parsed on every read; a history of 20 runs of
# a 1,000-node workflow took 0.8 s). Execution reads the plan on its own (``run_plan``).
HEAVY_FIELDS = ("plan", "version__graph")


def run_list_for_workflow(*, workflow: Workflow) -> QuerySet[Run]:
    """Run history of a workflow, newest first."""
    return (
        Run.objects.filter(workflow=workflow)
        .select_related("version")
        .defer(*HEAVY_FIELDS)
        .order_by("-created_at", "-id")
    )


def run_get_for_user(*, user: AbstractBaseUser, run_id: int, with_nodes: bool = False) -> Run:
    check_id(run_id, "Run")
    qs = (Run.objects.filter(owner_id=user.pk).select_related("version", "workflow")
          .defer(*HEAVY_FIELDS))
    if with_nodes:
        qs = qs.prefetch_related(Prefetch("nodes", queryset=NodeRun.objects.order_by("id")))
    try:
        return qs.get(pk=run_id)
    except Run.DoesNotExist:
        raise NotFound(f"Run {run_id} not found.") from None


def node_run_get(*, run: Run, node_id: str) -> NodeRun:
    try:
        return run.nodes.get(node_id=node_id)
    except NodeRun.DoesNotExist:
        raise NotFound(
            f"Run {run.pk} has no node {node_id!r}; GET /api/runs/{run.pk}/ lists its nodes."
        ) from None


def run_events_after(*, run: Run, after: int = 0, limit: int = EVENTS_PAGE_MAX) -> list[RunEvent]:
    """Events with ``seq > after`` in order, at most ``limit`` (clients page by the last seq)."""
    return list(run.events.filter(seq__gt=after).order_by("seq")[: max(1, min(limit,
                                                                             EVENTS_PAGE_MAX))])


def node_logs(*, run: Run, node_id: str) -> list[dict[str, Any]]:
    """The node's log lines (persisted ``node.log`` events), oldest first."""
    events = run.events.filter(type=EventType.NODE_LOG, node_id=node_id).order_by("seq")
    return [
        {
            "seq": e.seq,
            "ts": e.ts,
            "level": str(e.payload.get("level", "info")),
            "message": str(e.payload.get("message", "")),
        }
        for e in events
    ]
