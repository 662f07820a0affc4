"""How a Celery worker prepares its pool processes (``workers.celery``): native thread pools get
the process's share of the machine's cores, and what was loaded before the fork is frozen out of
the garbage collector. Run in a fresh interpreter, as a worker starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, os, types
import django
django.setup()
import numpy  # loaded before the worker starts, as the component catalogue does
from threadpoolctl import threadpool_info
from workers import celery as worker
worker._warm_up(sender=types.SimpleNamespace(concurrency=int(os.environ["CONCURRENCY"])))
frozen = __import__("gc").get_freeze_count()
read, write = os.pipe()
if os.fork() == 0:  # a pool process
    worker._pool_process_started()
    pools = {p["internal_api"]: p["num_threads"] for p in threadpool_info()}
    os.write(write, json.dumps({"pools": pools, "env": os.environ["OMP_NUM_THREADS"],
                                "frozen": frozen}).encode())
    os._exit(0)
os.wait()
print(os.read(read, 100000).decode())
"""


def prepared(concurrency: int, **env: str) -> dict[str, object]:
    base = {k: v for k, v in os.environ.items()
            if k not in ("OMP_NUM_THREADS", "DESIGNER_WORKER_THREADS")}
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**base, "DJANGO_SETTINGS_MODULE": "designer.settings",
             "CONCURRENCY": str(concurrency), **env}, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_pool_processes_share_the_cores_and_start_with_a_frozen_heap() -> None:
    got = prepared(concurrency=os.cpu_count() or 1)
    assert got["env"] == "1" and got["pools"] and set(got["pools"].values()) == {1}, got
    assert got["frozen"] > 10_000  # Django, the catalogue and the pre-imported libraries


@pytest.mark.slow
def test_the_thread_count_can_be_set() -> None:
    got = prepared(concurrency=8, DESIGNER_WORKER_THREADS="3")
    assert got["env"] == "3" and set(got["pools"].values()) == {3}, got


def test_threads_per_process_never_drops_below_one(settings: Any,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from workers.celery import threads_per_process, usable_cores

    settings.DESIGNER_WORKER_THREADS = 0
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    cores = usable_cores()
    assert 1 <= cores <= (os.cpu_count() or 1)
    assert threads_per_process(1) == cores
    assert threads_per_process(cores * 4) == 1
    # an operator's own OMP_NUM_THREADS is kept; DESIGNER_WORKER_THREADS wins over both
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    assert threads_per_process(cores * 4) == 3
    settings.DESIGNER_WORKER_THREADS = 5
    assert threads_per_process(1) == 5
