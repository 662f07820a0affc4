"""The hot path of node execution as plain SQL: claim, read parents' outputs, record, advance the
children, check for unfinished nodes. Every write is a conditional UPDATE (idempotent).

Written out because the ORM costs about a millisecond of CPU per statement on a small machine and
a hop takes several; ``RETURNING`` saves the read after each write. Portable to PostgreSQL and
SQLite >= 3.35 (both evaluate SET expressions against the row before the update).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.db import connection, transaction

from designer.runs.models import NodeRun, NodeStatus, Run

ASYNC_COMMIT = "designer_async_commit"  # DatabaseWrapper attribute: session already relaxed
ACTIVE = tuple(str(s.value) for s in (NodeStatus.PENDING, NodeStatus.READY, NodeStatus.QUEUED,
                                       NodeStatus.RUNNING))
RUNNING, QUEUED, PENDING = (str(s.value) for s in (NodeStatus.RUNNING, NodeStatus.QUEUED,
                                                   NodeStatus.PENDING))


def _table(model: Any) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def _at(moment: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(moment)


def _marks(values: Sequence[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def _json_param() -> str:
    return "%s::jsonb" if connection.vendor == "postgresql" else "%s"


def _rows(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall()) if cursor.description else []


def relaxed_commit() -> None:
    """Let this transaction's COMMIT return before its WAL record is flushed (PostgreSQL
    ``synchronous_commit = off`` for this transaction). Execution bookkeeping is re-derivable: a
    database crash can lose the last fraction of a second of node updates (never corrupt them);
    the reconciler re-queues those nodes, which then hit the artifact cache. Saves an fsync per
    transaction; user-facing writes stay fully durable. No-op where the session is relaxed."""
    if connection.vendor == "postgresql" and not getattr(connection, ASYNC_COMMIT, False):
        _rows("SET LOCAL synchronous_commit TO OFF", [])


def relax_session(sender: Any, connection: Any, **_: Any) -> None:
    """``connection_created`` receiver for worker processes, whose every write is execution
    bookkeeping: commit asynchronously for the whole session (see ``relaxed_commit``)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
        setattr(connection, ASYNC_COMMIT, True)


@contextmanager
def run_transaction(run_id: int) -> Iterator[None]:
    """A transaction of execution bookkeeping for one run: relaxed commit, and the run row locked
    first. Every writer of a run takes that lock before node rows (``run_cancel`` and dispatch
    do too; appending events needs it anyway), so concurrent transitions queue up instead of
    deadlocking. SQLite serialises writers by itself."""
    with transaction.atomic():
        relaxed_commit()
        if connection.vendor == "postgresql":
            _rows(f"SELECT 1 FROM {_table(Run)} WHERE id = %s FOR UPDATE", [run_id])
        yield


def claim(*, run_id: int, node_id: str, task_id: str, max_attempts: int, now: datetime
          ) -> tuple[int, int, bool] | None:
    """``queued -> running`` (or a takeover by the same message), unless the run is cancelled.
    Returns ``(pk, attempt, force)`` or None."""
    rows = _rows(
        f"UPDATE {_table(NodeRun)} SET status = %s, attempt = attempt + 1, task_id = %s, "
        "started_at = %s, heartbeat_at = %s, finished_at = NULL, progress = '{}' "
        "WHERE run_id = %s AND node_id = %s "
        "AND (status = %s OR (status = %s AND task_id = %s AND attempt < %s)) "
        f"AND NOT EXISTS (SELECT 1 FROM {_table(Run)} "
        "WHERE id = %s AND cancel_requested_at IS NOT NULL) "
        "RETURNING id, attempt, force",
        [RUNNING, task_id, _at(now), _at(now), run_id, node_id, QUEUED, RUNNING, task_id,
         max_attempts, run_id],
    )
    if not rows:
        return None
    pk, attempt, force = rows[0]
    return int(pk), int(attempt), bool(force)


def outputs_of(run_id: int, node_ids: Sequence[str]) -> dict[str, tuple[str, dict[str, Any]]]:
    """``{node_id: (status, outputs)}`` for the given nodes of the run."""
    if not node_ids:
        return {}
    rows = _rows(
        f"SELECT node_id, status, outputs FROM {_table(NodeRun)} "
        f"WHERE run_id = %s AND node_id IN ({_marks(node_ids)})", [run_id, *node_ids])
    return {n: (s, json.loads(o) if isinstance(o, str) else (o or {})) for n, s, o in rows}


def record_success(*, pk: int, attempt: int, status: str, outputs: dict[str, Any],
                   cache_key: str, now: datetime) -> bool:
    """``running -> succeeded|cached`` for this attempt, with its outputs."""
    rows = _rows(
        f"UPDATE {_table(NodeRun)} SET status = %s, outputs = {_json_param()}, cache_key = %s, "
        "finished_at = %s, error = '', traceback = '' "
        "WHERE id = %s AND status = %s AND attempt = %s RETURNING id",
        [str(status), json.dumps(outputs), cache_key, _at(now), pk, RUNNING, attempt],
    )
    return bool(rows)


def advance_children(run_id: int, children: Sequence[str], now: datetime) -> list[str]:
    """Decrement each child's unfinished-parent count; return the children that became queued.

    One statement: concurrent parents of the same child serialise on its row, and exactly one of
    them sees the count go from 1 to 0.
    """
    if not children:
        return []
    hit = "remaining_parents = 1 AND status = %s"
    pending, queued, at = PENDING, QUEUED, _at(now)
    rows = _rows(
        f"UPDATE {_table(NodeRun)} SET "
        f"status = CASE WHEN {hit} THEN %s ELSE status END, "
        f"ready_at = CASE WHEN {hit} THEN %s ELSE ready_at END, "
        f"queued_at = CASE WHEN {hit} THEN %s ELSE queued_at END, "
        "remaining_parents = remaining_parents - 1 "
        f"WHERE run_id = %s AND remaining_parents > 0 AND node_id IN ({_marks(children)}) "
        "RETURNING node_id, status, remaining_parents",
        [pending, queued, pending, at, pending, at, run_id, *children],
    )
    became = {node for node, status, left in rows if status == queued and left == 0}
    return [c for c in children if c in became]  # plan order


def has_active_nodes(run_id: int) -> bool:
    """Whether any node of the run is still pending, ready, queued or running."""
    return bool(_rows(
        f"SELECT 1 FROM {_table(NodeRun)} WHERE run_id = %s AND status IN ({_marks(ACTIVE)}) "
        "LIMIT 1", [run_id, *ACTIVE]))


def _many(sql: str, rows: Sequence[Sequence[Any]]) -> None:
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def start_frontier(*, cached: dict[int, tuple[dict[str, Any], str]], queued: Sequence[int],
                   remaining: dict[int, int], now: datetime) -> None:
    """Dispatch's writes, waiting nodes only: cache hits become ``cached`` with their outputs,
    the frontier ``queued``, and nodes with cached parents get their new parent count."""
    table, at, waiting = _table(NodeRun), _at(now), (PENDING, str(NodeStatus.READY.value))
    guard = "AND status IN (%s, %s)"
    _many(f"UPDATE {table} SET status = %s, outputs = {_json_param()}, cache_key = %s, "
          f"remaining_parents = 0, finished_at = %s WHERE id = %s {guard}",
          [(str(NodeStatus.CACHED.value), json.dumps(outputs), key, at, pk, *waiting)
           for pk, (outputs, key) in cached.items()])
    if queued:
        _rows(f"UPDATE {table} SET status = %s, remaining_parents = 0, ready_at = %s, "
              f"queued_at = %s WHERE id IN ({_marks(queued)}) {guard}",
              [QUEUED, at, at, *queued, *waiting])
    _many(f"UPDATE {table} SET remaining_parents = %s WHERE id = %s {guard}",
          [(left, pk, *waiting) for pk, left in remaining.items()])
