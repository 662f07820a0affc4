"""Celery entry points: thin tasks that take ids only and call the run execution services
(``designer.runs.execution``). Never pass data or ORM objects through the broker.
"""

from __future__ import annotations

import logging
import os
import time
from contextlib import nullcontext
from functools import partial
from typing import Any

from django.db import InterfaceError, OperationalError, connections

from workers import celery as worker_app
from workers.celery import RECONCILE_RUNS, RUN_NODE, app
from workers.limits import enforced, prefork_soft_limit

logger = logging.getLogger("workers")

# The database went away (restart, network): retry the same message, which may take over the
# node it had claimed. Component errors never get here (they fail the node, no retry).
TRANSIENT = (OperationalError, InterfaceError)


FRESH_S = 10.0  # a connection used this recently by the previous task needs no health check
_last_task_end = 0.0


def _connections_checked() -> None:
    """Django's per-task connection upkeep (drop a broken or expired connection; CONN_MAX_AGE,
    health check: a ``SELECT 1`` round trip), skipped while tasks come back to back: the
    previous task used the connection successfully under ``FRESH_S`` ago, and an error since
    (``errors_occurred``) or an expired age still triggers it."""
    from django.db import close_old_connections

    now = time.monotonic()
    due = now - _last_task_end > FRESH_S
    for conn in connections.all(initialized_only=True):
        expired = conn.close_at is not None and now >= conn.close_at
        due = due or conn.errors_occurred or expired
    if due:
        close_old_connections()


@app.task(name=RUN_NODE, bind=True, acks_late=True, reject_on_worker_lost=True,
          ignore_result=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def run_node(self: Any, run_id: int, node_id: str) -> str | None:
    """Claim, execute and record node ``node_id`` of run ``run_id`` and queue the children it
    completes (or continue with one of them here: ``node_execute``). Queue and time limits are
    given per message by the sender. Idempotent."""
    from designer.runs.execution.node import node_execute

    global _last_task_end
    _connections_checked()
    request = self.request
    hard, soft = request.timelimit or (None, None)
    limits = nullcontext()
    if worker_app.OWN_TIME_LIMITS:  # a solo pool (GPU workers) ignores Celery's limits
        limits = enforced(float(soft) if soft else None, float(hard) if hard else None,
                          partial(_hard_limit_hit, run_id, node_id, request.id, hard))
    elif soft:
        limits = prefork_soft_limit()  # prefork's soft limit: never in the middle of an import
    try:
        with limits:
            return node_execute(run_id=run_id, node_id=node_id, task_id=request.id,
                                queue=(request.delivery_info or {}).get("routing_key"),
                                soft_limit_s=float(soft) if soft else None)
    finally:
        _last_task_end = time.monotonic()


HARD_LIMIT_EXIT = 70  # the worker's exit status when a node passed its hard time limit


def _hard_limit_hit(run_id: int, node_id: str, task_id: str, hard_s: float) -> None:
    """A node of a solo worker ran past its hard time limit (stuck in native code: the soft
    limit's exception never came): fail it, then end the process, which is what prefork does to
    its child; the worker's supervisor starts it again, and the message, delivered again, finds
    the node finished."""
    from designer.runs.execution.node import node_fail_unexpected

    logger.critical("run %s node %s: hard time limit (%s s) passed; failing the node and "
                    "exiting so the worker restarts", run_id, node_id, hard_s)
    try:
        node_fail_unexpected(run_id=run_id, node_id=node_id, task_id=task_id, queued_too=False,
                             error=f"TimeLimitExceeded: hard time limit ({hard_s} s) exceeded")
    except Exception:  # noqa: BLE001 - the reconciler fails it once its heartbeat stops
        logger.exception("run %s node %s: could not record the hard time limit", run_id, node_id)
    finally:
        os._exit(HARD_LIMIT_EXIT)


@app.task(name=RECONCILE_RUNS, ignore_result=True)
def reconcile_runs() -> dict[str, int]:
    """Repair lost or stuck nodes and finish runs with nothing left (see the reconciler)."""
    from django.db import close_old_connections

    from designer.runs.execution.reconcile import runs_reconcile

    close_old_connections()
    return runs_reconcile()
