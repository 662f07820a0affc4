"""The hot transitions of a node as single round trips to PostgreSQL: claim (with the
``node.started`` event and the parents' outputs) and success (outputs, children advanced, the
node's events and ``node.queued`` for the children it completes, and whether anything is left).

Each is one multi-statement query, which PostgreSQL runs as one transaction: it locks the run row
first like every other writer of a run (no deadlocks), takes the event numbers from
``runs_run.last_seq`` in the same transaction (gap-free, in commit order), and holds the lock only
while the server executes the statements, never across a network round trip or Python code. Each
statement after the lock sees everything committed before it (a fresh snapshot per statement).
The statements are prepared once per database session (their texts do not depend on the number of
children or events: arrays), so the server neither parses nor plans them again per node.
Only on PostgreSQL outside a transaction (``available``); ``state`` falls back to the same steps
one statement at a time elsewhere (SQLite, or inside a caller's transaction).
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from psycopg.pq import ExecStatus
from django.db import DatabaseError, connection

from designer.runs.events import EventType, NewEvent
from designer.runs.execution import sql
from designer.runs.execution.plans import RunGone
from designer.runs.execution.statements import STATEMENTS, VERSION
from designer.runs.models import NodeRun, Run, RunEvent

QUEUED, RUNNING, PENDING, ACTIVE = sql.QUEUED, sql.RUNNING, sql.PENDING, sql.ACTIVE
TUPLES_OK = ExecStatus.TUPLES_OK  # a statement's result with rows
assert set(ACTIVE) == {"pending", "ready", "queued", "running"}  # as written in STATEMENTS

# Which statements each database session (psycopg connection) has prepared.
_prepared: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


def available() -> bool:
    """Whether the single-round-trip forms can be used on this connection now."""
    return (connection.vendor == "postgresql" and not connection.in_atomic_block
            and settings.DESIGNER_DB_FAST_PATH)


# For the script's transaction (one statement: each costs a server round of its own): index
# lookups only, planned once per session (see statements.py), and, unless the session already
# commits that way, without waiting for the commit's WAL flush (see sql.relaxed_commit).
SETTINGS = ("SELECT set_config('enable_seqscan', 'off', true), "
            "set_config('plan_cache_mode', 'force_generic_plan', true)")
SETTINGS_ASYNC = SETTINGS + ", set_config('synchronous_commit', 'off', true)"


def _name(key: str) -> str:
    return f"designer_{key}_{VERSION}"


def _prepare(key: str) -> str:
    types, body = STATEMENTS[key]
    quote = connection.ops.quote_name
    text = body.format(run=quote(Run._meta.db_table), node=quote(NodeRun._meta.db_table),
                       event=quote(RunEvent._meta.db_table))
    return f"PREPARE {_name(key)} ({types}) AS {text}"


def _script(calls: Sequence[tuple[str, Sequence[Any]]]) -> list[list[tuple[Any, ...]]]:
    """Execute the prepared statements ``calls`` (key, arguments) as one query, so one implicit
    transaction; returns the rows of each. Statements this session lacks are prepared first."""
    connection.ensure_connection()
    raw = connection.connection
    done = _prepared.get(raw)
    if done is None:  # a new session, or an error left us unsure: ask the server
        done = _prepared[raw] = _server_prepared()
    head = [_prepare(key) for key in dict.fromkeys(k for k, _ in calls) if key not in done]
    head.append(SETTINGS if getattr(connection, sql.ASYNC_COMMIT, False) else SETTINGS_ASYNC)
    body = [f"EXECUTE {_name(key)}({', '.join(['%s'] * len(args))})" for key, args in calls]
    results: list[list[tuple[Any, ...]]] = []
    try:
        with connection.cursor() as cursor:
            cursor.execute(";\n".join([*head, *body]), [a for _, args in calls for a in args])
            raw_cursor = cursor.cursor  # psycopg's own: no per-call wrapper on the loop below
            with connection.wrap_database_errors:
                while True:
                    rows = raw_cursor.pgresult.status == TUPLES_OK
                    results.append(raw_cursor.fetchall() if rows else [])
                    if not raw_cursor.nextset():
                        break
    except DatabaseError:
        _prepared.pop(raw, None)  # PREPARE is not transactional: some may exist now
        raise
    done.update(k for k, _ in calls)
    return results[len(head):]


def _server_prepared() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE %s",
                       ["designer\\_%"])
        names = {row[0] for row in cursor.fetchall()}
    return {key for key in STATEMENTS if _name(key) in names}


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else (value or {})


def message(run_id: int, seq: int, event: NewEvent, ts: datetime) -> dict[str, Any]:
    """The wire form of an event stored with ``seq`` (what ``RunEvent.to_message`` gives)."""
    wire: dict[str, Any] = dict(event.payload)
    wire.update(type=str(event.type), run=run_id, seq=seq, ts=ts.isoformat())
    if event.node_id:
        wire["node"] = event.node_id
    return wire


@dataclass(frozen=True)
class Claimed:
    pk: int
    attempt: int
    force: bool
    messages: list[dict[str, Any]]  # node.started, committed
    parents: dict[str, tuple[str, dict[str, Any]]]  # node_id -> (status, outputs)


def claim(*, run_id: int, node_id: str, task_id: str, worker: str, max_attempts: int,
          parents: Sequence[str], now: datetime) -> Claimed | None:
    """``sql.claim`` + the ``node.started`` event + ``sql.outputs_of(parents)``, one round trip.
    None when the node is not claimable (someone else has it, it is done, run cancelled)."""
    results = _script([
        ("lock", [run_id]),
        ("claim", [run_id, task_id, now, node_id, max_attempts, worker]),
        ("outputs", [run_id, list(parents)]),
    ])
    if not results[1]:
        return None
    pk, attempt, force, seq = results[1][0]
    event = NewEvent(EventType.NODE_STARTED, node_id, {"attempt": int(attempt),
                                                       "worker": worker})
    return Claimed(pk=int(pk), attempt=int(attempt), force=bool(force),
                   messages=[message(run_id, int(seq), event, now)],
                   parents={n: (s, _json(o)) for n, s, o in results[2]})


@dataclass(frozen=True)
class Continue:
    """Claim one of ``children`` (plan order) in the success's transaction, if it queues one
    that gets a message, else the run's oldest unsent node on ``queues``."""

    children: list[str]
    parents: list[str]  # the parents of all of them, for the claimed one's inputs
    task_id: str
    worker: str
    queues: list[str]  # NodeRun.queue values this worker serves


@dataclass(frozen=True)
class Succeeded:
    ready: list[str]  # children that became queued, plan order
    messages: list[dict[str, Any]]  # the node's events, node.queued ones, run.finished and the
    # continued child's node.started; committed
    active: bool  # some node of the run is still pending, ready, queued or running
    finished: bool  # this transaction ended the run (succeeded)
    claimed: tuple[str, Claimed] | None = None  # the node claimed to continue with
    unsent: list[str] = field(default_factory=list)  # ready children left without a message
    handed: list[str] = field(default_factory=list)  # an unsent node this task must send


def succeed(*, run_id: int, pk: int, attempt: int, status: str, outputs: dict[str, Any],
            cache_key: str, children: Sequence[tuple[str, str]], events: Sequence[NewEvent],
            now: datetime, then: Continue | None = None, window: int | None = None
            ) -> Succeeded | None:
    """``sql.record_success`` + ``sql.advance_children`` + the events (``events``, then
    ``node.queued`` with its queue for each child, given as ``(node, queue)``, that became
    queued) + ``sql.has_active_nodes`` + ending the run when this was its last node and all went
    well (``run_finish``), one round trip. With ``window``, children queued beyond the first
    ``window`` stay unsent. Then, with ``then``, claiming a node to continue with
    (``claim_next``); without, handing one unsent node of the run over to be sent
    (``hand_over``). None when this attempt lost its claim."""
    if not events:
        raise ValueError("a success records at least its node.succeeded/node.cached event")
    calls: list[tuple[str, Sequence[Any]]] = [
        ("lock", [run_id]),
        ("succeed", [run_id, pk, attempt, str(status), json.dumps(outputs), cache_key, now,
                     [c for c, _ in children], [q for _, q in children], _events_json(events)]),
    ]
    if window is not None and len(children) > window:
        calls.append(("defer", [run_id, now, [c for c, _ in children], window]))
    calls.append(("finish", [run_id, now]))
    if then is not None:
        calls.append(("claim_next", [run_id, then.task_id, now, then.children, then.worker,
                                     then.queues]))
        if then.parents:
            calls.append(("outputs", [run_id, then.parents]))
    else:
        calls.append(("hand_over", [run_id]))
    results = dict(zip([k for k, _ in calls], _script(calls), strict=True))
    done, last, ready_json, total = results["succeed"][0]
    if not done:
        return None
    ready = [str(n) for n in _json_list(ready_json)]
    queues = dict(children)
    stored = [*events, *(NewEvent(EventType.NODE_QUEUED, c, {"queue": queues[c]})
                         for c in ready)]
    first = int(last) - int(total) + 1
    messages = [message(run_id, first + i, e, now) for i, e in enumerate(stored)]
    active, finished = results["finish"][0]
    if finished is not None:
        end = NewEvent(EventType.RUN_FINISHED, payload={"status": "succeeded"})
        messages.append(message(run_id, int(finished), end, now))
    claimed = None
    if results.get("claim_next"):
        cpk, child, cattempt, cforce, seq = results["claim_next"][0]
        assert then is not None
        event = NewEvent(EventType.NODE_STARTED, child, {"attempt": int(cattempt),
                                                         "worker": then.worker})
        messages.append(message(run_id, int(seq), event, now))
        claimed = (str(child), Claimed(
            pk=int(cpk), attempt=int(cattempt), force=bool(cforce), messages=[],
            parents={n: (st, _json(o)) for n, st, o in results.get("outputs", [])}))
    return Succeeded(ready=ready, active=bool(active), finished=finished is not None,
                     messages=messages, claimed=claimed,
                     unsent=[str(r[0]) for r in results.get("defer", [])],
                     handed=[str(r[0]) for r in results.get("hand_over", [])])


def hand_over(run_id: int) -> list[str]:
    """Mark one unsent node of the run as sent and return it (the caller sends its message):
    what a task that ends without continuing does, so the run's unsent nodes keep moving."""
    return [str(row[0]) for row in _script([("lock", [run_id]), ("hand_over", [run_id])])[1]]


@dataclass(frozen=True)
class Started:
    messages: list[dict[str, Any]]  # the run's and nodes' events, run.finished if it ended
    finished: bool  # everything was cached: the run ended as succeeded


def start(*, run_id: int, cached: dict[int, tuple[dict[str, Any], str]], queued: Sequence[int],
          remaining: dict[int, int], events: Sequence[NewEvent], now: datetime,
          unsent: Sequence[int] = ()) -> Started | None:
    """``queued -> running`` + ``sql.start_frontier`` + the events (+ ending a fully cached
    run), one round trip; ``unsent``: frontier nodes queued without a message. None when the
    run is no longer queued (started or cancelled)."""
    hits = list(cached.items())
    results = _script([
        ("start", [run_id, now, [pk for pk, _ in hits], json.dumps([o for _, (o, _) in hits]),
                   [key for _, (_, key) in hits], list(queued), list(remaining),
                   list(remaining.values()), _events_json(events), list(unsent)]),
        ("finish", [run_id, now]),
    ])
    if not results[0]:
        return None
    first = int(results[0][0][0]) - len(events) + 1
    messages = [message(run_id, first + i, e, now) for i, e in enumerate(events)]
    finished = results[1][0][1]
    if finished is not None:
        end = NewEvent(EventType.RUN_FINISHED, payload={"status": "succeeded"})
        messages.append(message(run_id, int(finished), end, now))
    return Started(messages=messages, finished=finished is not None)


def progress(*, run_id: int, pk: int, payload: dict[str, Any] | None,
             events: Sequence[NewEvent], now: datetime) -> list[dict[str, Any]]:
    """``events`` of a running node (its buffered log lines and ``node.progress`` reports) and,
    with ``payload``, its latest progress (and heartbeat), one round trip; returns the events'
    wire form, committed."""
    calls: list[tuple[str, Sequence[Any]]] = [("lock", [run_id])]
    if payload is not None:
        calls.append(("progress", [pk, json.dumps(payload), now]))
    calls.append(("events", [run_id, _events_json(events), now]))
    appended = _script(calls)[-1]
    if not appended:
        raise RunGone(f"run {run_id} does not exist (deleted?); its events are dropped")
    first = int(appended[0][0]) - len(events) + 1
    return [message(run_id, first + i, e, now) for i, e in enumerate(events)]


def _events_json(events: Sequence[NewEvent]) -> str:
    return json.dumps([{"type": str(e.type), "node": e.node_id, "payload": e.payload}
                       for e in events])


def _json_list(value: Any) -> list[Any]:
    return json.loads(value) if isinstance(value, str) else list(value or [])
