"""Run events: the persisted stream behind ``/ws/runs/<id>/`` (ARCHITECTURE.md §5).

``run_events_append`` gives events consecutive ``seq`` numbers under a lock on the run row, stores
them, and hands their wire form to ``publish_run_events`` only after the transaction commits (so
a client never sees an event the database then rolls back). Anyone changing a run's state emits
through here; nothing else writes ``RunEvent`` rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import models, transaction
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


@dataclass(frozen=True)
class NewEvent:
    """An event to append: ``type`` from ``EventType``, optional node, extra payload keys."""

    type: str
    node_id: str = ""
    payload: dict[str, Any] = field(default_factory=dict)


def run_events_append(*, run_id: int, events: Sequence[NewEvent]) -> list[RunEvent]:
    """Persist ``events`` in order with the run's next sequence numbers; publish after commit."""
    if not events:
        return []
    for event in events:
        clash = RESERVED_KEYS & event.payload.keys()
        if clash:
            raise ValueError(f"event payload may not set {sorted(clash)}; they are envelope keys")
    with transaction.atomic():
        run = Run.objects.select_for_update().only("id", "last_seq").get(pk=run_id)
        first = run.last_seq + 1
        now = timezone.now()
        rows = [
            RunEvent(run_id=run_id, seq=first + i, type=e.type, node_id=e.node_id,
                     payload=e.payload, ts=now)
            for i, e in enumerate(events)
        ]
        RunEvent.objects.bulk_create(rows)
        Run.objects.filter(pk=run_id).update(last_seq=first + len(rows) - 1)
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
