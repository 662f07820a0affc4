"""``RunConsumer``: the run websocket (ARCHITECTURE.md §5, CONVENTIONS.md 17). It only relays.

On connect: authenticate (session or token), check ownership through a selector, join group
``run.<id>``, send ``run.snapshot``, replay persisted events after ``?after=`` (default: the
snapshot's seq), then stream live events. Every event goes out once, in seq order:

- live batches are filtered against the last seq sent; a batch that skips ahead (publishers in
  several processes, a dropped layer message) is preceded by a refill from the database;
- while the run is unfinished and nothing arrives for ``REALTIME_POLL_SECONDS``, the database is
  polled, so events from processes the channel layer does not reach (in-memory layer) arrive too.

Refusals accept, then close with a code (4400 bad ``after``, 4403 anonymous, 4404 unknown or
someone else's run) and send nothing else. Client messages are ignored: commands go through REST.
The socket stays open after ``run.finished``; the client decides when to close.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from designer.errors import NotFound
from designer.realtime import publish
from designer.realtime.events import (
    CLOSE_BAD_REQUEST,
    CLOSE_NOT_FOUND,
    CLOSE_UNAUTHENTICATED,
    LayerMessage,
    group_name,
)
from designer.realtime.selectors import EVENTS_PAGE, run_events_page, run_snapshot_for_user
from designer.runs.events import EventType

logger = logging.getLogger("designer.realtime.consumers")

MAX_SEQ = 2**62


def _parse_after(query_string: bytes) -> int | None:
    """``?after=<seq>`` as an int, None when absent; ValueError when malformed."""
    values = parse_qs(query_string.decode("latin1")).get("after")
    if not values:
        return None
    after = int(values[-1])
    if not 0 <= after <= MAX_SEQ:
        raise ValueError(after)
    return after


class RunConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    run_id: int
    group: str
    last_sent: int
    finished: bool

    async def connect(self) -> None:
        self.group = ""
        self._lock = asyncio.Lock()
        self._poll_task: asyncio.Task[None] | None = None
        self._last_heard = time.monotonic()
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self._refuse(CLOSE_UNAUTHENTICATED)
            return
        try:
            after = _parse_after(self.scope.get("query_string", b""))
        except ValueError:
            await self._refuse(CLOSE_BAD_REQUEST)
            return
        self.run_id = int(self.scope["url_route"]["kwargs"]["run_id"])
        # Join before reading the snapshot: anything committed later is published to us.
        self.group = group_name(self.run_id)
        publish.note_listener_loop(asyncio.get_running_loop())
        await self.channel_layer.group_add(self.group, self.channel_name)
        try:
            snapshot, finished = await database_sync_to_async(run_snapshot_for_user)(
                user=user, run_id=self.run_id
            )
        except NotFound:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            self.group = ""
            await self._refuse(CLOSE_NOT_FOUND)
            return
        await self.accept()
        async with self._lock:
            await self.send_json(snapshot)
            self.last_sent = snapshot["seq"] if after is None else min(after, snapshot["seq"])
            self.finished = finished
            await self._refill()
        self._poll_task = asyncio.create_task(self._poll())

    async def _refuse(self, code: int) -> None:
        await self.accept()
        await self.close(code=code)

    async def disconnect(self, code: int) -> None:
        if self._poll_task is not None:
            self._poll_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poll_task
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None,
                      **kwargs: Any) -> None:
        """Ignored: start, cancel and retry are REST calls (POST /api/runs/<id>/cancel/ ...)."""

    # -- delivery (callers hold self._lock) ----------------------------------------------------
    async def _send_event(self, event: dict[str, Any]) -> None:
        await self.send_json(event)
        self.last_sent = int(event["seq"])
        if event.get("type") == EventType.RUN_FINISHED:
            self.finished = True

    async def _refill(self) -> None:
        """Send every persisted event after ``last_sent``, page by page."""
        while True:
            page = await database_sync_to_async(run_events_page)(
                run_id=self.run_id, after=self.last_sent, limit=EVENTS_PAGE
            )
            for event in page:
                await self._send_event(event)
            if len(page) < EVENTS_PAGE:
                return

    async def _deliver(self, events: list[dict[str, Any]]) -> None:
        for event in sorted(events, key=lambda e: int(e["seq"])):
            seq = int(event["seq"])
            if seq <= self.last_sent:
                continue  # already sent (replayed, refilled or polled)
            if seq != self.last_sent + 1:
                await self._refill()  # a gap: the missing events are committed, read them
                continue  # the refill read this one too (it was committed before it was sent)
            await self._send_event(event)

    # -- inputs --------------------------------------------------------------------------------
    async def run_events(self, message: LayerMessage) -> None:
        """A batch from ``publish_run_events`` (channel-layer type ``run.events``)."""
        self._last_heard = time.monotonic()
        async with self._lock:
            await self._deliver(list(message["events"]))

    async def _poll(self) -> None:
        interval = float(getattr(settings, "REALTIME_POLL_SECONDS", 0.25))
        while not self.finished:
            await asyncio.sleep(interval)
            if time.monotonic() - self._last_heard < interval:
                continue  # live messages are flowing; gaps among them are refilled anyway
            try:
                async with self._lock:
                    await self._refill()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - a database hiccup must not kill the socket
                logger.warning("run %s: polling for events failed; retrying", self.run_id,
                               exc_info=True)
