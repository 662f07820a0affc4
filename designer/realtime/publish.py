"""Publish committed run events to websocket listeners, from any process (web, Celery worker,
script): the body of ``designer.runs.dispatch.publish_run_events``.

A cross-process layer (channels-redis) is driven from one long-lived event loop per process on a
daemon thread, so a publish costs a couple of Redis round trips instead of a new loop, thread and
connection each time (what ``async_to_sync`` does outside a server). The in-memory layer only
reaches consumers of this process, on the loop they run on, so its publishes go to that loop.
Publishing never raises: the events are already persisted, and consumers re-read the database
when they see a gap or hear nothing for a while.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import weakref
from collections.abc import Coroutine
from typing import Any

from channels.layers import InMemoryChannelLayer, get_channel_layer

from designer.realtime.events import LAYER_MESSAGE, LayerMessage, group_name

logger = logging.getLogger("designer.realtime.publish")

BATCH = 200  # events per channel-layer message (keeps messages far below Redis limits)
SEND_TIMEOUT_S = 3.0  # a stuck layer must not stall a worker for long


class _LoopThread:
    """A daemon thread running one event loop for this process's channel-layer sends."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(
            target=self._run, name="designer-realtime-publish", daemon=True
        )
        self.thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def usable(self) -> bool:
        return self.pid == os.getpid() and self.thread.is_alive() and not self.loop.is_closed()


_lock = threading.Lock()
_loop_thread: _LoopThread | None = None
# Loops that in-memory-layer consumers of this process run on (daphne's, or a test's).
_listener_loops: weakref.WeakSet[asyncio.AbstractEventLoop] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    """A forked worker inherits neither the thread nor a usable lock: start afresh."""
    global _lock, _loop_thread
    _lock = threading.Lock()
    _loop_thread = None
    _listener_loops.clear()


os.register_at_fork(after_in_child=_after_fork_in_child)


def _publisher_loop() -> asyncio.AbstractEventLoop:
    global _loop_thread
    with _lock:
        if _loop_thread is None or not _loop_thread.usable():
            _loop_thread = _LoopThread()
        return _loop_thread.loop


def note_listener_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Called by consumers on connect: in-memory publishes of this process go to ``loop``."""
    _listener_loops.add(loop)


def _run_on(loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, None]) -> None:
    """Run ``coro`` on ``loop`` and wait for it, or schedule it when we are on that loop."""
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is loop:  # sync code called straight from a coroutine: cannot block here
        loop.create_task(coro)
        return
    future = asyncio.run_coroutine_threadsafe(coro, loop)
    try:
        future.result(timeout=SEND_TIMEOUT_S)
    except TimeoutError:
        future.cancel()
        raise


def _messages(run_id: int, messages: list[dict[str, Any]]) -> list[LayerMessage]:
    return [
        LayerMessage(type=LAYER_MESSAGE, run=run_id, events=messages[i:i + BATCH])
        for i in range(0, len(messages), BATCH)
    ]


def publish_run_events(run_id: int, messages: list[dict[str, Any]]) -> None:
    """Send committed events (wire form, seq order) to group ``run.<run_id>``; log, never raise."""
    if not messages:
        return
    try:
        layer = get_channel_layer()
        if layer is None:
            return
        group = group_name(run_id)
        batches = _messages(run_id, messages)

        async def send() -> None:
            for batch in batches:
                await layer.group_send(group, dict(batch))

        if isinstance(layer, InMemoryChannelLayer):
            # Only consumers of this process can hear it, on the loop(s) they run on.
            for loop in list(_listener_loops):
                if loop.is_running():
                    _run_on(loop, send())
            return
        _run_on(_publisher_loop(), send())
    except Exception:  # noqa: BLE001 - events are persisted; consumers refill from the database
        logger.warning(
            "run %s: could not publish %d event(s) (seq %s..%s) to the channel layer; websocket "
            "clients will read them from the database instead. Check REDIS_URL / Redis.",
            run_id, len(messages), messages[0].get("seq"), messages[-1].get("seq"), exc_info=True,
        )
