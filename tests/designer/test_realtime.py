"""Run websocket: snapshot first, then every event once and in seq order (live, caught up after
``?after=``, polled when the layer cannot reach us, refilled after a gap), session and token
auth, refusals that leak nothing, and a publisher that never raises. The real stack (daphne,
channels-redis, a worker process) is in ``test_realtime_stack.py``.

Transactional tests: the consumer reads through its own database connection.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from typing import Any

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.db import connection, connections
from django.test import Client
from rest_framework.authtoken.models import Token
from server_graphs import small_graph

from designer.asgi import application
from designer.realtime.events import group_name
from designer.realtime.publish import publish_run_events
from designer.runs.events import EventType, NewEvent, run_event_append, run_events_append
from designer.runs.models import NodeRun, NodeStatus, Run, RunEvent, RunStatus
from designer.runs.services import run_finish
from designer.workflows.services import workflow_create

pytestmark = pytest.mark.django_db(transaction=True)
IN_MEMORY = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


# -- fixtures and helpers ------------------------------------------------------------------------
def make_run(owner: Any) -> Run:
    """A running two-node run (rows only: nothing executes)."""
    wf = workflow_create(owner=owner, name="wf", graph=small_graph())
    run = Run.objects.create(workflow=wf, version=wf.current_version, owner=owner,
                             status=RunStatus.RUNNING, plan={"steps": []})
    NodeRun.objects.bulk_create([
        NodeRun(run=run, node_id="iris", component_id="datasets.iris", status=NodeStatus.READY),
        NodeRun(run=run, node_id="select", component_id="preprocessing.select_columns",
                status=NodeStatus.PENDING, remaining_parents=1),
    ])
    return run


@pytest.fixture
def run(user: Any) -> Run:
    return make_run(user)


@pytest.fixture
def token(user: Any) -> str:
    return Token.objects.create(user=user).key


@pytest.fixture(autouse=True)
def _in_process_layer(settings: Any) -> None:
    """In-process tests use the in-memory layer whatever REDIS_URL says (the Redis path is
    tested over a real server in test_realtime_stack.py)."""
    settings.CHANNEL_LAYERS = IN_MEMORY
    settings.REALTIME_POLL_SECONDS = 0.25


@pytest_asyncio.fixture(autouse=True)
async def _close_consumer_connections() -> Any:
    """Consumers read in asgiref's shared thread; close its connection after each test."""
    yield
    await database_sync_to_async(connections.close_all)()


def emit_node(run_id: int, node: str = "iris", progress: int = 5, pause: float = 0.0,
              finish: bool = True) -> None:
    """What a worker emits for one node, one event per call, then (optionally) run.finished."""
    run_event_append(run_id=run_id, type=EventType.NODE_STARTED, node_id=node,
                     payload={"attempt": 1})
    for i in range(progress):
        run_event_append(run_id=run_id, type=EventType.NODE_PROGRESS, node_id=node,
                         payload={"value": i + 1, "max": progress, "text": ""})
        time.sleep(pause)
    run_event_append(run_id=run_id, type=EventType.NODE_SUCCEEDED, node_id=node,
                     payload={"outputs": {}})
    if finish:
        run_finish(run_id=run_id, status=RunStatus.SUCCEEDED)


def in_background(fn: Any, *args: Any) -> asyncio.Future[None]:
    """Run ``fn`` like a worker: on its own thread and connection. The in-memory SQLite test
    database fails concurrent writers at once (shared-cache table locks ignore the busy
    timeout), so there it runs on the consumers' database thread, interleaved with them."""
    if connection.vendor == "sqlite":
        return asyncio.ensure_future(database_sync_to_async(fn)(*args))

    def target() -> None:
        try:
            fn(*args)
        finally:
            connection.close()

    return asyncio.ensure_future(asyncio.to_thread(target))


async def open_socket(path: str, headers: list[tuple[bytes, bytes]] | None = None
                      ) -> WebsocketCommunicator:
    comm = WebsocketCommunicator(application, path, headers=headers or [])
    connected, _ = await comm.connect(timeout=5)
    assert connected
    return comm


def auth(key: str) -> list[tuple[bytes, bytes]]:
    return [(b"authorization", f"Token {key}".encode())]


async def until_finished(comm: WebsocketCommunicator, timeout: float = 5) -> list[dict[str, Any]]:
    received = []
    while not received or received[-1]["type"] != EventType.RUN_FINISHED:
        received.append(await comm.receive_json_from(timeout=timeout))
    return received


def assert_consecutive(events: list[dict[str, Any]], first: int, last: int) -> None:
    assert [e["seq"] for e in events] == list(range(first, last + 1))


async def last_seq(run_id: int) -> int:
    return (await Run.objects.aget(pk=run_id)).last_seq


# -- in-process (WebsocketCommunicator) ------------------------------------------------------
@pytest.mark.asyncio
async def test_snapshot_first_then_every_event_once_in_order(run: Run, token: str) -> None:
    await database_sync_to_async(run_events_append)(run_id=run.pk, events=[
        NewEvent(EventType.RUN_STARTED), NewEvent(EventType.NODE_QUEUED, "iris", {"queue": "cpu"})
    ])
    # when: a worker emits while the client (which saw seq 1 and 2) connects and catches up
    worker = in_background(emit_node, run.pk, "iris", 40, 0.002)
    comm = await open_socket(f"/ws/runs/{run.pk}/?after=2", auth(token))
    snapshot = await comm.receive_json_from(timeout=5)
    events = await until_finished(comm)
    await worker
    # then: whenever the snapshot was taken, the stream after seq 2 is complete and in order
    total = await last_seq(run.pk)
    assert snapshot["type"] == "run.snapshot" and snapshot["run"] == run.pk
    assert 2 <= snapshot["seq"] <= total
    body = snapshot["snapshot"]
    assert body["id"] == run.pk and body["last_seq"] == snapshot["seq"]
    assert body["status"] == ("succeeded" if snapshot["seq"] == total else "running")
    assert {(n["node_id"], n["status"]) for n in body["nodes"]} == {("iris", "ready"),
                                                                   ("select", "pending")}
    assert_consecutive(events, 3, total)
    assert events[-1]["status"] == "succeeded" and events[-2]["type"] == "node.succeeded"
    assert await comm.receive_nothing(timeout=0.3)  # stays open, sends nothing more
    await comm.disconnect()


@pytest.mark.asyncio
async def test_reconnect_with_after_replays_exactly_what_was_missed(run: Run, token: str
                                                                    ) -> None:
    await database_sync_to_async(emit_node)(run.pk, progress=3)  # seq 1..6, finished
    total = await last_seq(run.pk)
    # when
    comm = await open_socket(f"/ws/runs/{run.pk}/?after=2", auth(token))
    snapshot = await comm.receive_json_from()
    replayed = await until_finished(comm)
    # then
    assert snapshot["seq"] == total == 6 and snapshot["snapshot"]["status"] == "succeeded"
    assert_consecutive(replayed, 3, total)
    assert replayed[0]["type"] == "node.progress" and replayed[0]["value"] == 2
    assert await comm.receive_nothing(timeout=0.4)  # finished: nothing polled, nothing repeated
    await comm.disconnect()
    # a client that saw everything (no ?after=) gets the snapshot only
    comm = await open_socket(f"/ws/runs/{run.pk}/", auth(token))
    assert (await comm.receive_json_from())["seq"] == total
    assert await comm.receive_nothing(timeout=0.3)
    await comm.disconnect()


async def refused(path: str, headers: list[tuple[bytes, bytes]] | None = None) -> int:
    comm = WebsocketCommunicator(application, path, headers=headers or [])
    connected, _ = await comm.connect(timeout=5)
    assert connected  # accepted only to deliver the close code
    message = await comm.receive_output(timeout=5)
    assert message["type"] == "websocket.close", f"sent data before refusing: {message}"
    await comm.disconnect(code=message["code"])
    return int(message["code"])


@pytest.mark.asyncio
async def test_refusals_leak_nothing(run: Run, token: str, other_user: Any) -> None:
    other_key = (await Token.objects.acreate(user=other_user)).key
    assert await refused(f"/ws/runs/{run.pk}/") == 4403  # anonymous
    assert await refused(f"/ws/runs/{run.pk}/", auth("not-a-real-token")) == 4403
    assert await refused(f"/ws/runs/{run.pk}/?token=nope") == 4403
    assert await refused(f"/ws/runs/{run.pk}/", auth(other_key)) == 4404  # not the owner
    assert await refused(f"/ws/runs/{run.pk + 1000}/", auth(token)) == 4404  # no such run
    assert await refused(f"/ws/runs/{run.pk}/?after=-1", auth(token)) == 4400
    assert await refused(f"/ws/runs/{run.pk}/?after=abc", auth(token)) == 4400


@pytest.mark.asyncio
async def test_session_cookie_token_query_and_origin(run: Run, user: Any, token: str) -> None:
    browser = Client()
    await database_sync_to_async(browser.force_login)(user)
    cookie = f"sessionid={browser.cookies['sessionid'].value}".encode()
    same_site = [(b"cookie", cookie), (b"origin", b"http://127.0.0.1:8000")]
    for path, headers in [(f"/ws/runs/{run.pk}/", same_site),
                          (f"/ws/runs/{run.pk}/?token={token}", [])]:
        comm = await open_socket(path, headers)
        assert (await comm.receive_json_from())["type"] == "run.snapshot"
        await comm.disconnect()
    # a page on another site cannot ride the user's cookie
    comm = WebsocketCommunicator(application, f"/ws/runs/{run.pk}/",
                                 headers=[(b"cookie", cookie), (b"origin", b"https://evil.test")])
    connected, _ = await comm.connect(timeout=5)
    assert not connected
    await comm.disconnect()


@pytest.mark.asyncio
async def test_events_the_layer_cannot_deliver_arrive_by_polling(run: Run, token: str,
                                                                 settings: Any) -> None:
    comm = await open_socket(f"/ws/runs/{run.pk}/", auth(token))
    assert (await comm.receive_json_from())["seq"] == 0
    # when: events come from a publisher whose layer does not reach this consumer (another
    # process with the in-memory layer): a fresh layer instance has no members
    settings.CHANNEL_LAYERS = {"default": {**IN_MEMORY["default"]}}
    started = time.monotonic()
    await database_sync_to_async(emit_node)(run.pk, progress=2)
    events = await until_finished(comm, timeout=3)
    # then
    assert_consecutive(events, 1, await last_seq(run.pk))
    assert time.monotonic() - started < 2.0
    await comm.disconnect()


@pytest.mark.asyncio
async def test_a_gap_is_refilled_from_the_database_and_duplicates_dropped(
    run: Run, token: str, settings: Any
) -> None:
    settings.REALTIME_POLL_SECONDS = 30  # so only the gap logic can fetch the missing events
    comm = await open_socket(f"/ws/runs/{run.pk}/", auth(token))
    await comm.receive_json_from()
    consumer_layer = get_channel_layer()
    settings.CHANNEL_LAYERS = {"default": {**IN_MEMORY["default"]}}  # persisted, not delivered
    await database_sync_to_async(emit_node)(run.pk, progress=2, finish=False)  # seq 1..4
    rows = [e.to_message() async for e in RunEvent.objects.filter(run=run).order_by("seq")]
    # when: only seq 4 arrives live, then seq 2 again
    message = {"type": "run.events", "run": run.pk, "events": [rows[3]]}
    await consumer_layer.group_send(group_name(run.pk), message)
    got = [await comm.receive_json_from(timeout=2) for _ in range(4)]
    await consumer_layer.group_send(group_name(run.pk), {**message, "events": [rows[1]]})
    # then
    assert got == rows
    assert await comm.receive_nothing(timeout=0.3)
    await comm.disconnect()


@pytest.mark.asyncio
async def test_concurrent_emitters_still_give_one_ordered_stream(user: Any, token: str) -> None:
    run = await database_sync_to_async(make_run)(user)
    comm = await open_socket(f"/ws/runs/{run.pk}/", auth(token))
    await comm.receive_json_from()
    # when: two workers report at once (publishes may reach the layer out of seq order)
    await asyncio.gather(*(in_background(emit_node, run.pk, node, 30, 0.0, False)
                           for node in ("iris", "select")))
    await database_sync_to_async(run_finish)(run_id=run.pk, status=RunStatus.SUCCEEDED)
    events = await until_finished(comm)
    # then
    assert_consecutive(events, 1, 2 * 32 + 1)
    per_node = {n: [e["value"] for e in events if e.get("node") == n and "value" in e]
                for n in ("iris", "select")}
    assert per_node == {"iris": list(range(1, 31)), "select": list(range(1, 31))}
    await comm.disconnect()


def test_publishing_never_raises_into_the_worker(run: Run, settings: Any,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    closed_port = socket.socket()
    closed_port.bind(("127.0.0.1", 0))
    port = closed_port.getsockname()[1]
    closed_port.close()
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer",
                                           "CONFIG": {"hosts": [f"redis://127.0.0.1:{port}/0"]}}}
    caplog.set_level(logging.WARNING, logger="designer.realtime.publish")
    # when: Redis is unreachable
    event = run_event_append(run_id=run.pk, type=EventType.RUN_STARTED)
    publish_run_events(run.pk, [event.to_message()])
    # then: the event is stored, the caller carried on, and the log says what to check
    assert RunEvent.objects.filter(run=run, seq=1).exists()
    assert "REDIS_URL" in caplog.text

