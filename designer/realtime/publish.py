"""Publish committed run events to websocket listeners, from any process (web, Celery worker,
script): the body of ``designer.runs.dispatch.publish_run_events``.

A cross-process layer (channels-redis) is driven from one long-lived event loop per process on a
daemon thread, so a publish costs a couple of Redis round trips instead of a new loop, thread and
connection each time (what ``async_to_sync`` does outside a server). The in-memory layer only
reaches consumers of this process, on the loop they run on, so its publishes go to that loop.
Publishing never raises: the events are already persisted, and consumers re-read the database
when they see a gap or hear nothing for a while.

Celery workers publish without waiting (``publish_without_waiting``, set at worker start): the
events are handed to the loop thread, which sends them in order. An event after a quiet spell
goes at once; while events keep coming, the thread sends at most one layer message per run every
``LINGER_S``, with everything that piled up, so a node's bookkeeping never waits for Redis and a
burst of small nodes costs a few layer messages a second, not two per node. Elsewhere (web, tests,
scripts) a publish returns once the layer has the events.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import weakref
from collections import deque
from collections.abc import Coroutine
from typing import Any

from channels.layers import InMemoryChannelLayer, get_channel_layer

from designer.realtime.events import LAYER_MESSAGE, LayerMessage, group_name

logger = logging.getLogger("designer.realtime.publish")

BATCH = 200  # events per channel-layer message (keeps messages far below Redis limits)
SEND_TIMEOUT_S = 3.0  # a stuck layer must not stall a worker for long
MAX_PENDING = 10_000  # publishes waiting for the loop thread; older ones are dropped beyond this
LINGER_S = 0.02  # no-wait mode: after a send, gather publishes this long before the next one
_no_wait = False


class _LoopThread:
    """A daemon thread running one event loop for this process's channel-layer sends."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.lock = threading.Lock()
        self.pending: deque[tuple[Any, int, list[dict[str, Any]]]] = deque()
        self.draining = False
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

    def submit(self, layer: Any, run_id: int, messages: list[dict[str, Any]]) -> None:
        """Queue a publish for the loop thread and return at once."""
        with self.lock:
            self.pending.append((layer, run_id, messages))
            if len(self.pending) > MAX_PENDING:
                _, lost_run, lost = self.pending.popleft()
                logger.warning("run %s: %d event(s) not published (the channel layer is too "
                               "slow); websocket clients read them from the database instead. "
                               "Check REDIS_URL / Redis.", lost_run, len(lost))
            if self.draining:
                return
            self.draining = True
        asyncio.run_coroutine_threadsafe(self._drain(), self.loop)

    async def _drain(self) -> None:
        while True:
            with self.lock:
                if not self.pending:
                    self.draining = False
                    return
                items = list(self.pending)
                self.pending.clear()
            merged: dict[tuple[int, int], tuple[Any, int, list[dict[str, Any]]]] = {}
            for layer, run_id, messages in items:  # per run, in order
                merged.setdefault((id(layer), run_id), (layer, run_id, []))[2].extend(messages)
            for layer, run_id, messages in merged.values():
                try:
                    for batch in _messages(run_id, messages):
                        await asyncio.wait_for(layer.group_send(group_name(run_id), dict(batch)),
                                               SEND_TIMEOUT_S)
                except Exception:  # noqa: BLE001 - persisted; consumers refill from the database
                    _log_failure(run_id, messages)
            await asyncio.sleep(LINGER_S)  # under load, the next events come as one message


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


def _publisher() -> _LoopThread:
    global _loop_thread
    with _lock:
        if _loop_thread is None or not _loop_thread.usable():
            _loop_thread = _LoopThread()
        return _loop_thread


def publish_without_waiting(enabled: bool = True) -> None:
    """Make this process's publishes to a cross-process layer return at once (Celery workers)."""
    global _no_wait
    _no_wait = enabled


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
        if _no_wait:
            _publisher().submit(layer, run_id, messages)
            return
        _run_on(_publisher().loop, send())
    except Exception:  # noqa: BLE001 - events are persisted; consumers refill from the database
        _log_failure(run_id, messages)


def _log_failure(run_id: int, messages: list[dict[str, Any]]) -> None:
    logger.warning(
        "run %s: could not publish %d event(s) (seq %s..%s) to the channel layer; websocket "
        "clients will read them from the database instead. Check REDIS_URL / Redis.",
        run_id, len(messages), messages[0].get("seq"), messages[-1].get("seq"), exc_info=True,
    )
