"""Database reads behind the run websocket (sync; consumers call them through
``database_sync_to_async``): the owner-scoped snapshot and pages of persisted events."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from designer.realtime.events import SNAPSHOT, SnapshotMessage
from designer.runs.api.serializers import RunDetailSerializer
from designer.runs.models import RUN_FINISHED, RunEvent
from designer.runs.selectors import run_get_for_user

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

EVENTS_PAGE = 500


@contextmanager
def _one_snapshot() -> Iterator[None]:
    """Make the run row and its node rows one consistent read where the database allows it.

    PostgreSQL: a REPEATABLE READ transaction, so node states match ``last_seq`` exactly.
    SQLite (development): plain reads; the run row is read first, so node states are at least
    as new as ``seq`` and replayed events only repeat what the client already shows.
    """
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield
    else:
        yield


def run_snapshot_for_user(*, user: AbstractBaseUser, run_id: int) -> tuple[SnapshotMessage, bool]:
    """The ``run.snapshot`` message and whether the run had finished; ``NotFound`` when the run
    does not exist or is not ``user``'s."""
    with _one_snapshot():
        run = run_get_for_user(user=user, run_id=run_id, with_nodes=True)
        body: dict[str, Any] = dict(RunDetailSerializer(run).data)
    message = SnapshotMessage(
        type=SNAPSHOT, run=run.pk, seq=run.last_seq, ts=timezone.now().isoformat(), snapshot=body
    )
    return message, run.status in RUN_FINISHED


def run_events_page(*, run_id: int, after: int, limit: int = EVENTS_PAGE) -> list[dict[str, Any]]:
    """Wire forms of run ``run_id``'s events with ``seq > after``, oldest first, at most ``limit``
    (one index range scan on (run, seq))."""
    rows = RunEvent.objects.filter(run_id=run_id, seq__gt=after).order_by("seq")[:limit]
    return [row.to_message() for row in rows]
