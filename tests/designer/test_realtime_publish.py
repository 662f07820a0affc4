"""Publishing from Celery workers without waiting (``publish_without_waiting``): the caller returns
at once, a listener still receives every event of a run in order (bursts coalesced into fewer
layer messages), and an unreachable Redis is logged, never raised. Real channels-redis (db 11).
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from designer.realtime import publish
from designer.realtime.events import group_name

REDIS_URL = "redis://127.0.0.1:6379/11"


def redis_layer(url: str) -> dict[str, Any]:
    return {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer",
                        "CONFIG": {"hosts": [url]}}}


@pytest.fixture
def no_wait() -> Iterator[None]:
    publish.publish_without_waiting(True)
    try:
        yield
    finally:
        publish.publish_without_waiting(False)


def wire(seq: int) -> dict[str, Any]:
    return {"type": "node.progress", "run": 7, "seq": seq, "ts": "", "value": seq}


def test_a_burst_arrives_complete_in_order_and_coalesced(settings: Any, no_wait: None) -> None:
    from execution_stack import redis_answers

    if not redis_answers(REDIS_URL):
        pytest.skip(f"needs Redis at {REDIS_URL}")
    settings.CHANNEL_LAYERS = redis_layer(REDIS_URL)
    from channels.layers import get_channel_layer

    async def listen() -> list[list[int]]:
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(group_name(7), channel)
        loop = asyncio.get_running_loop()
        # when: 60 publishes in a row, as a worker finishing small nodes makes them
        started = time.monotonic()
        await loop.run_in_executor(None, lambda: [publish.publish_run_events(7, [wire(i)])
                                                  for i in range(1, 61)])
        assert time.monotonic() - started < 0.5  # nobody waited for Redis
        batches: list[list[int]] = []
        while sum(len(b) for b in batches) < 60:
            message = await asyncio.wait_for(layer.receive(channel), 5)
            batches.append([e["seq"] for e in message["events"]])
        await layer.group_discard(group_name(7), channel)
        return batches

    batches = asyncio.run(listen())
    # then
    assert [seq for batch in batches for seq in batch] == list(range(1, 61))
    assert len(batches) < 60


def test_an_unreachable_layer_is_logged_not_raised(settings: Any, no_wait: None,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    settings.CHANNEL_LAYERS = redis_layer(f"redis://127.0.0.1:{port}/0")
    caplog.set_level(logging.WARNING, logger="designer.realtime.publish")
    # when
    started = time.monotonic()
    publish.publish_run_events(8, [wire(1)])
    # then: the caller went on at once; the loop thread reports the failure
    assert time.monotonic() - started < 0.5
    deadline = time.monotonic() + 10
    while "REDIS_URL" not in caplog.text:
        assert time.monotonic() < deadline, caplog.text
        time.sleep(0.05)
