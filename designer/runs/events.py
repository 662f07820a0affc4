"""Run events: the persisted stream behind ``/ws/runs/<id>/`` (ARCHITECTURE.md §5).

``run_events_append`` gives events consecutive ``seq`` numbers under a lock on the run row, stores
them, and hands their wire form to ``publish_run_events`` only after the transaction commits (so
a client never sees an event the database then rolls back). Anyone changing a run's state emits
through here; nothing else writes ``RunEvent`` rows.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from designer.runs.dispatch import publish_run_events
from designer.runs.models import Run, RunEvent


class EventType(models.TextChoices):
    RUN_STARTED = "run.started"
    RUN_FINISHED = "run.finished"  # payload: status, error
    NODE_CACHED = "node.cached"  # payload: outputs
    NODE_QUEUED = "node.queued"  # payload: queue
    NODE_STARTED = "node.started"  # payload: attempt
    NODE_PROGRESS = "node.progress"  # payload: value, max, text
    NODE_LOG = "node.log"  # payload: level, message
    NODE_SUCCEEDED = "node.succeeded"  # payload: outputs (summaries)
    NODE_FAILED = "node.failed"  # payload: error, traceback
    NODE_SKIPPED = "node.skipped"  # payload: reason
    NODE_CANCELLED = "node.cancelled"


RESERVED_KEYS = frozenset({"type", "run", "node", "seq", "ts"})
OUTPUT_KEYS = ("type", "digest", "size", "summary")  # what clients see of an artifact reference
OUTPUT_EVENTS = frozenset({EventType.NODE_SUCCEEDED, EventType.NODE_CACHED})


def public_outputs(outputs: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """A node's outputs as clients see them (events, REST): ``{port: {type, digest, size,
    summary}}``. The storage URI stays on the server; bytes go through the download endpoint."""
    return {port: {k: ref.get(k) for k in OUTPUT_KEYS}
            for port, ref in (outputs or {}).items() if isinstance(ref, dict)}


@dataclass(frozen=True)
class NewEvent:
    """An event to append: ``type`` from ``EventType``, optional node, extra payload keys."""

    type: str
    node_id: str = ""
    payload: dict[str, Any] = field(default_factory=dict)


def _reserve_seqs(run_id: int, count: int) -> int:
    """Take the run's next ``count`` sequence numbers; returns the first. One statement that also
    locks the run row until commit, so concurrent appenders get consecutive, ordered blocks."""
    table = connection.ops.quote_name(Run._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_seq = last_seq + %s WHERE id = %s RETURNING last_seq",
            [count, run_id],
        )
        row = cursor.fetchone()
    if row is None:
        raise Run.DoesNotExist(f"run {run_id} does not exist (deleted?); its events are dropped")
    return int(row[0]) - count + 1


def _insert(rows: list[RunEvent], batch: int = 1000) -> None:
    """Multi-row INSERTs (``bulk_create`` costs about a millisecond of CPU per call on a small
    machine, and workers append events on every node transition)."""
    table = connection.ops.quote_name(RunEvent._meta.db_table)
    payload = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start:start + batch]
            marks = ", ".join([f"(%s, %s, %s, %s, {payload}, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} (run_id, seq, type, node_id, payload, ts) VALUES {marks}",
                [value for r in chunk for value in (
                    r.run_id, r.seq, str(r.type), r.node_id, json.dumps(r.payload),
                    connection.ops.adapt_datetimefield_value(r.ts))],
            )


def run_events_append(*, run_id: int, events: Sequence[NewEvent]) -> list[RunEvent]:
    """Persist ``events`` in order with the run's next sequence numbers; publish after commit."""
    if not events:
        return []
    for event in events:
        clash = RESERVED_KEYS & event.payload.keys()
        if clash:
            raise ValueError(f"event payload may not set {sorted(clash)}; they are envelope keys")
    # savepoint=False: inside a caller's transaction this adds no SAVEPOINT round trips (an error
    # here rolls back the caller's transaction, which is what every caller wants anyway).
    with transaction.atomic(savepoint=False):
        first = _reserve_seqs(run_id, len(events))
        now = timezone.now()
        rows = [
            RunEvent(run_id=run_id, seq=first + i, type=e.type, node_id=e.node_id,
                     payload=e.payload, ts=now)
            for i, e in enumerate(events)
        ]
        _insert(rows)
        messages = [row.to_message() for row in rows]
        transaction.on_commit(partial(publish_run_events, run_id, messages))
    return rows


def run_event_append(
    *, run_id: int, type: str, node_id: str = "", payload: dict[str, Any] | None = None
) -> RunEvent:
    """Append one event (see ``run_events_append``)."""
    return run_events_append(
        run_id=run_id, events=[NewEvent(type=type, node_id=node_id, payload=payload or {})]
    )[0]
