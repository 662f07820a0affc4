"""Celery entry points: thin tasks that take ids only and call the run execution services
(``designer.runs.execution``). Never pass data or ORM objects through the broker.
"""

from __future__ import annotations

from typing import Any

from django.db import InterfaceError, OperationalError

from workers.celery import RECONCILE_RUNS, RUN_NODE, app

# The database went away (restart, network): retry the same message, which may take over the
# node it had claimed. Component errors never get here (they fail the node, no retry).
TRANSIENT = (OperationalError, InterfaceError)


@app.task(name=RUN_NODE, bind=True, acks_late=True, reject_on_worker_lost=True,
          ignore_result=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def run_node(self: Any, run_id: int, node_id: str) -> str | None:
    """Claim, execute and record node ``node_id`` of run ``run_id`` and queue the children it
    completes. Queue and time limits are given per message by the sender. Idempotent."""
    from django.db import close_old_connections

    from designer.runs.execution.node import node_execute

    close_old_connections()  # drop a broken or expired connection (CONN_MAX_AGE, health check)
    return node_execute(run_id=run_id, node_id=node_id, task_id=self.request.id)


@app.task(name=RECONCILE_RUNS, ignore_result=True)
def reconcile_runs() -> dict[str, int]:
    """Repair lost or stuck nodes and finish runs with nothing left (see the reconciler)."""
    from django.db import close_old_connections

    from designer.runs.execution.reconcile import runs_reconcile

    close_old_connections()
    return runs_reconcile()
