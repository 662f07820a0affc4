"""Wire forms of the run websocket (ARCHITECTURE.md §5), defined once here: the envelope every
event carries, the payload of each event type, the snapshot, close codes and the group name.

Event ``type`` values and their persistence live in ``designer.runs.events``; this module types
what travels (the frontend mirrors it in ``frontend/src/api/types.ts``).
"""

from __future__ import annotations

from typing import Any, Final, Literal, NotRequired, TypedDict

# Close codes sent (after accepting, so the client can read them) when a socket is refused.
CLOSE_BAD_REQUEST = 4400  # a malformed ?after=
CLOSE_UNAUTHENTICATED = 4403  # no session, no (valid) token
CLOSE_NOT_FOUND = 4404  # no such run, or someone else's (never say which)

SNAPSHOT: Final = "run.snapshot"
# Channel-layer message type between the publisher and the consumers (handler ``run_events``).
LAYER_MESSAGE: Final = "run.events"


def group_name(run_id: int) -> str:
    """The channel-layer group of run ``run_id``'s listeners."""
    return f"run.{int(run_id)}"


class EventEnvelope(TypedDict):
    """Keys every event has; ``node`` only for node events. Payload keys sit beside them."""

    type: str
    run: int
    seq: int  # 1, 2, 3 ... per run, no gaps
    ts: str  # ISO 8601
    node: NotRequired[str]


class RunFinishedEvent(EventEnvelope):
    status: Literal["succeeded", "failed", "cancelled"]
    error: NotRequired[str]


class NodeQueuedEvent(EventEnvelope):
    queue: str


class NodeStartedEvent(EventEnvelope):
    attempt: int


class NodeProgressEvent(EventEnvelope):
    value: float
    max: float | None
    text: str


class NodeLogEvent(EventEnvelope):
    level: str
    message: str


class NodeOutputsEvent(EventEnvelope):
    """``node.succeeded`` and ``node.cached``: ``{port: {type, digest, size, summary}}``."""

    outputs: dict[str, dict[str, Any]]


class NodeFailedEvent(EventEnvelope):
    error: str
    traceback: str


class NodeSkippedEvent(EventEnvelope):
    reason: str


class SnapshotMessage(TypedDict):
    """First message on every connection: the run as ``GET /api/runs/<id>/`` shows it (with its
    nodes) under ``snapshot``; ``seq`` is the run's last event at that moment."""

    type: Literal["run.snapshot"]
    run: int
    seq: int
    ts: str
    snapshot: dict[str, Any]


class LayerMessage(TypedDict):
    """What ``publish_run_events`` sends to group ``run.<id>``: committed events in seq order."""

    type: Literal["run.events"]
    run: int
    events: list[dict[str, Any]]
