"""Run websocket over the real stack: a daphne server process, channels-redis (Redis db 8) and a
separate worker process reporting through ``run_event_append``; a ``websockets`` client gets the
snapshot, every event live and in order, an exact ``?after=`` replay, and a refusal for others.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token
from test_realtime import assert_consecutive, make_run
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from designer.runs.models import Run

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]

REDIS_DB_URL = "redis://127.0.0.1:6379/8"
EMITTER = """
import sys, time, django
django.setup()
from designer.runs.events import run_event_append
from designer.runs.services import run_finish
run_id, n = int(sys.argv[1]), int(sys.argv[2])
run_event_append(run_id=run_id, type="node.started", node_id="iris", payload={"attempt": 1})
for i in range(n):
    run_event_append(run_id=run_id, type="node.progress", node_id="iris",
                     payload={"value": i + 1, "max": n, "text": ""})
    time.sleep(0.005)
run_event_append(run_id=run_id, type="node.succeeded", node_id="iris", payload={"outputs": {}})
run_finish(run_id=run_id, status="succeeded")
"""


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def stack_env(django_db_setup: Any) -> dict[str, str]:
    """Environment for server and worker processes: the test database, Redis db 8, and a poll
    interval long enough that only the channel layer can deliver live events in time."""
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql" or not _answers(6379):
        pytest.skip("needs the PostgreSQL and Redis that run on 127.0.0.1")
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    url = (f"postgres://{db['USER'] or 'postgres'}{password}@{db['HOST'] or '127.0.0.1'}:"
           f"{db['PORT'] or 5432}/{db['NAME']}")
    return {**os.environ, "DATABASE_URL": url, "REDIS_URL": REDIS_DB_URL,
            "REALTIME_POLL_SECONDS": "30", "DJANGO_SETTINGS_MODULE": "designer.settings",
            "PYTHONPATH": str(ROOT)}


@pytest.fixture(scope="module")
def daphne(stack_env: dict[str, str]) -> Iterator[int]:
    """A daphne server on 127.0.0.1 (its PID is remembered and exactly it is stopped)."""
    port = _free_port()
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
         "designer.asgi:application"], cwd=ROOT, env=stack_env, stdout=log, stderr=log,
    )
    try:
        deadline = time.monotonic() + 60
        while not _answers(port):
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"daphne did not start:\n{log.read().decode()[-3000:]}")
            time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture
def rows(user: Any, other_user: Any) -> tuple[Run, str, str]:
    """A run, its owner's token and another user's token, committed for the server to see."""
    return make_run(user), Token.objects.create(user=user).key, \
        Token.objects.create(user=other_user).key


@pytest.mark.slow
@pytest.mark.asyncio
async def test_worker_process_to_websocket_client(daphne: int, stack_env: dict[str, str],
                                                  rows: tuple[Run, str, str]) -> None:
    run, token, other_token = rows
    url = f"ws://127.0.0.1:{daphne}/ws/runs/{run.pk}/"
    async with connect(url, additional_headers={"Authorization": f"Token {token}"}) as ws:
        snapshot = json.loads(await asyncio.wait_for(ws.recv(), 10))
        # when: a separate worker process reports through run_event_append
        worker = subprocess.Popen([sys.executable, "-c", EMITTER, str(run.pk), "20"], cwd=ROOT,
                                  env=stack_env)
        try:
            events = []
            while not events or events[-1]["type"] != "run.finished":
                events.append(json.loads(await asyncio.wait_for(ws.recv(), 15)))
            assert await asyncio.to_thread(worker.wait, 30) == 0
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    # then: snapshot, then 1..23 in order, delivered live (the server polls only every 30 s)
    assert snapshot["type"] == "run.snapshot" and snapshot["seq"] == 0
    assert_consecutive(events, 1, 23)
    assert [e["value"] for e in events if e["type"] == "node.progress"] == list(range(1, 21))
    # reconnect (token in the query string) with ?after= : exactly the missed tail
    async with connect(f"{url}?token={token}&after=17") as ws:
        assert json.loads(await asyncio.wait_for(ws.recv(), 10))["seq"] == 23
        tail = [json.loads(await asyncio.wait_for(ws.recv(), 10)) for _ in range(6)]
        assert_consecutive(tail, 18, 23)
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(ws.recv(), 0.5)
    # someone else's token: closed with 4404 and no data
    async with connect(url, additional_headers={"Authorization": f"Token {other_token}"}) as ws:
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4404
