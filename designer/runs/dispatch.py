"""Hooks where execution plugs into the run services.

- ``run_dispatch(run_id, plan=..., nodes=...)`` is called once per new run, after the transaction
  that created the ``Run`` and its ``NodeRun`` rows commits, with the compiled plan and the rows
  as created (so they need not be read back; the reconciler retrying passes neither). It returns
  quickly: resolves cache hits (those nodes become ``cached`` at once), marks the ready frontier
  ``queued`` and hands it to the executor (``settings.DESIGNER_EXECUTION``: Celery tasks with
  ids only, or the inline thread pool). The rest of the run is driven by the workers
  (``designer.runs.execution``).
- ``publish_run_events(run_id, messages)`` is called after commit with the wire form of newly
  persisted ``RunEvent`` rows, in ``seq`` order; the realtime layer forwards them to group
  ``run.<run_id>``.
Both must never raise into the request: log and let the reconciler repair.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from designer.dag.plan import ExecutionPlan
    from designer.runs.models import NodeRun

logger = logging.getLogger("designer.runs.dispatch")


def run_dispatch(run_id: int, *, plan: ExecutionPlan | None = None,
                 nodes: Sequence[NodeRun] | None = None) -> None:
    """Start executing run ``run_id``; never raises (a run left ``queued`` is retried by the
    reconciler). ``plan`` / ``nodes``: the run's plan and node rows as just created."""
    # Imported here: the execution package imports the run services, which import this module.
    from designer.runs.execution.start import run_execution_start

    try:
        run_execution_start(run_id, plan=plan, nodes=nodes)
    except Exception:  # noqa: BLE001 - never break the request that created the run
        logger.exception("run %s: dispatch failed; the reconciler will retry it", run_id)


def publish_run_events(run_id: int, messages: list[dict[str, Any]]) -> None:
    """Push committed events to websocket listeners (group ``run.<run_id>``); never raises."""
    from designer.realtime.publish import publish_run_events as publish  # the realtime layer

    publish(run_id, messages)
