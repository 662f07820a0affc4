"""Benchmark: worker-report -> websocket-client progress latency over the real stack.

Run: ``.venv/bin/python bench/bench_realtime.py [--events 300] [--rate 50]``. Starts daphne on
127.0.0.1 (channels-redis on Redis db 7, PostgreSQL database ``designer_bench``, created and
migrated when missing; ``DATABASE_URL`` / ``REDIS_URL`` override both), connects a ``websockets``
client with a token, and starts a separate worker-like process that reports ``node.progress``
through ``run_event_append`` (lock, insert, commit, publish) at ``--rate`` events/s. Each event
carries the wall-clock time of the report; the client subtracts it on receipt (one machine, one
clock). Prints p50/p95/p99/max in ms (target p95 <= 50 ms) and the worker-side append time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/designer_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/7"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def emit(run_id: int, events: int, rate: float) -> None:
    """Worker side (child process): report progress at ``rate``/s, print append times as JSON."""
    import django

    django.setup()
    from designer.runs.events import EventType, run_event_append
    from designer.runs.services import run_finish

    # Warm-up: open the database connection and the publisher's Redis connection.
    run_event_append(run_id=run_id, type=EventType.NODE_STARTED, node_id="train",
                     payload={"attempt": 1})
    append_ms = []
    period = 1.0 / rate
    next_at = time.perf_counter()
    for i in range(events):
        next_at += period
        reported = time.time()
        run_event_append(run_id=run_id, type=EventType.NODE_PROGRESS, node_id="train",
                         payload={"value": i + 1, "max": events, "text": f"round {i + 1}",
                                  "reported_at": reported})
        append_ms.append((time.time() - reported) * 1000)
        time.sleep(max(0.0, next_at - time.perf_counter()))
    run_event_append(run_id=run_id, type=EventType.NODE_SUCCEEDED, node_id="train",
                     payload={"outputs": {}})
    run_finish(run_id=run_id, status="succeeded")
    print(json.dumps({"append_ms": append_ms}), flush=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("daphne exited during start-up; run it by hand to see why")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"daphne did not listen on 127.0.0.1:{port} within {timeout:.0f} s")


def _ensure_database(url: str) -> None:
    """Create the bench database on the local PostgreSQL when it does not exist yet."""
    from urllib.parse import urlsplit

    import psycopg

    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        return
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres", scheme="postgresql").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _prepare(env: dict[str, str]) -> tuple[int, str]:
    """Migrate, then create a user, a token and a running run; returns (run id, token key)."""
    os.environ.update(env)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from designer.runs.models import NodeRun, Run, RunStatus
    from designer.workflows.services import workflow_create

    call_command("migrate", verbosity=0)
    user, _ = get_user_model().objects.get_or_create(username="bench-realtime")
    token, _ = Token.objects.get_or_create(user=user)
    wf = workflow_create(owner=user, name="bench realtime")
    run = Run.objects.create(workflow=wf, version=wf.current_version, owner=user,
                             status=RunStatus.RUNNING, plan={"steps": []})
    NodeRun.objects.create(run=run, node_id="train", component_id="training.xgboost_classifier")
    return run.pk, token.key


async def _listen(port: int, run_id: int, key: str, start_worker: Any) -> list[float]:
    from websockets.asyncio.client import connect

    url = f"ws://127.0.0.1:{port}/ws/runs/{run_id}/"
    latencies = []
    async with connect(url, additional_headers={"Authorization": f"Token {key}"}) as ws:
        snapshot = json.loads(await ws.recv())
        assert snapshot["type"] == "run.snapshot", snapshot
        start_worker()
        last_seq = snapshot["seq"]
        while True:
            event = json.loads(await asyncio.wait_for(ws.recv(), 60))
            received = time.time()
            assert event["seq"] == last_seq + 1, f"out of order: {last_seq} then {event['seq']}"
            last_seq = event["seq"]
            if "reported_at" in event:
                latencies.append((received - event["reported_at"]) * 1000)
            if event["type"] == "run.finished":
                return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--rate", type=float, default=50.0, help="progress reports per second")
    parser.add_argument("--emit", nargs=3, metavar=("RUN", "EVENTS", "RATE"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.emit:
        emit(int(args.emit[0]), int(args.emit[1]), float(args.emit[2]))
        return

    env = {
        "DATABASE_URL": os.environ.get("DATABASE_URL", DEFAULT_DB),
        "REDIS_URL": os.environ.get("REDIS_URL", DEFAULT_REDIS),
        "DESIGNER_HOME": tempfile.mkdtemp(prefix="designer-bench-"),
        "DJANGO_SETTINGS_MODULE": "designer.settings",
        "PYTHONPATH": str(ROOT),
    }
    _ensure_database(env["DATABASE_URL"])
    run_id, key = _prepare(env)
    child_env = {**os.environ, **env}
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
         "designer.asgi:application"], cwd=ROOT, env=child_env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    worker: subprocess.Popen[str] | None = None

    def start_worker() -> None:
        nonlocal worker
        worker = subprocess.Popen(
            [sys.executable, __file__, "--emit", str(run_id), str(args.events), str(args.rate)],
            cwd=ROOT, env=child_env, stdout=subprocess.PIPE, text=True,
        )

    try:
        _wait_for_port(port, server)
        latencies = asyncio.run(_listen(port, run_id, key, start_worker))
        assert worker is not None
        out, _ = worker.communicate(timeout=60)
        append_ms = json.loads(out.strip().splitlines()[-1])["append_ms"]
    finally:
        for proc in (worker, server):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        from designer.runs.models import Run

        Run.objects.filter(pk=run_id).delete()

    p95 = percentile(latencies, 0.95)
    print(f"worker report -> websocket client, {len(latencies)} node.progress events at "
          f"{args.rate:g}/s (daphne + channels-redis + PostgreSQL, separate worker process)")
    print(f"  latency ms: p50 {statistics.median(latencies):.1f}  p95 {p95:.1f}  "
          f"p99 {percentile(latencies, 0.99):.1f}  max {max(latencies):.1f}  "
          f"(target p95 <= 50: {'ok' if p95 <= 50 else 'MISSED'})")
    print(f"  worker-side run_event_append (lock, insert, commit, publish) ms: "
          f"p50 {statistics.median(append_ms):.1f}  p95 {percentile(append_ms, 0.95):.1f}")


if __name__ == "__main__":
    main()
