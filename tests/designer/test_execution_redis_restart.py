"""A real Redis restart in the middle of a run: a private redis-server without persistence, with
its own Celery worker and beat. Queued messages die with Redis; the worker reconnects and the
reconciler (run by beat) sends what was lost again, so the run still finishes.

This process never talks to that Redis: the run is created as ``run_start`` commits it, and the
beat-driven reconciler dispatches it. Skipped without PostgreSQL or ``redis-server``.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from execution_stack import (
    ServiceProcess,
    WorkerProcess,
    postgres_url,
    redis_answers,
    redis_server,
    wait_finished,
)
from server_graphs import edge, graph, node

from designer.runs.models import NodeRun, Run, RunEvent
from designer.runs.services import _compile, _node_runs
from designer.workflows.services import workflow_create

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_redis(url: str) -> None:
    for _ in range(100):
        if redis_answers(url):
            return
        time.sleep(0.05)
    raise AssertionError(f"redis-server at {url} did not start")


def branches(n: int) -> dict[str, Any]:
    """Data -> n XGBoost trainers (~1 s each) -> predict: more ready nodes than worker processes."""
    nodes = [node("data", "datasets.make_classification", n_samples=20_000, n_features=20,
                  n_informative=5, random_state=1)]
    edges = []
    for i in range(n):
        nodes += [node(f"xgb{i}", "training.xgboost_classifier", target="target",
                       n_estimators=150, max_depth=3 + i),
                  node(f"predict{i}", "evaluation.predict")]
        edges += [edge("data", "table", f"xgb{i}", "table"),
                  edge(f"xgb{i}", "model", f"predict{i}", "model"),
                  edge("data", "table", f"predict{i}", "table")]
    return graph(nodes, edges)


class Stack:
    """A private redis-server, a worker and beat against it (reconciler every second)."""

    def __init__(self, tmp_path: Path) -> None:
        from django.db import connection

        if connection.vendor != "postgresql" or shutil.which("redis-server") is None:
            pytest.skip("needs PostgreSQL and redis-server")
        self.tmp_path, self.port = tmp_path, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.redis = redis_server(self.port, tmp_path)
        wait_redis(self.url)
        env = {"DATABASE_URL": postgres_url(connection.settings_dict), "REDIS_URL": self.url,
               "DESIGNER_EXECUTION": "celery", "DESIGNER_HOME": os.environ["DESIGNER_HOME"],
               "DESIGNER_REQUEUE_AFTER_S": "1", "DESIGNER_RECONCILE_INTERVAL_S": "1",
               # one node per task: a worker continuing the run would take the queued nodes
               # whose messages died itself, and the reconciler's part would go untested
               "DESIGNER_CONTINUE_S": "0"}
        self.worker = WorkerProcess(env, tmp_path / "worker.log", name="designer-restart")
        self.beat = ServiceProcess([sys.executable, "-m", "celery", "-A", "workers.celery",
                                    "beat", "-s", str(tmp_path / "beat"), "-l", "INFO"],
                                   tmp_path / "beat.log", env)

    def start_run(self, user: Any, doc: dict[str, Any]) -> Run:
        """What run_start commits, left for the beat-driven reconciler to dispatch."""
        wf = workflow_create(owner=user, name="restart", graph=doc)
        plan = _compile(wf.current_version, seed=0, from_node=None, to_node=None)
        run = Run.objects.create(workflow=wf, version=wf.current_version, owner=user,
                                 plan=plan.to_dict())
        NodeRun.objects.bulk_create(_node_runs(run, plan, use_cache=False))
        return run

    def wait_until(self, condition: Any) -> None:
        deadline = time.monotonic() + 40
        while not condition():
            assert time.monotonic() < deadline, self.worker.log_tail()
            time.sleep(0.05)

    def restart_redis(self) -> None:
        """Redis dies with whatever it held and comes back empty."""
        self.redis.kill()
        self.redis = redis_server(self.port, self.tmp_path)
        wait_redis(self.url)

    def log(self) -> str:
        return (self.tmp_path / "worker.log").read_text(errors="replace")

    def __enter__(self) -> Stack:
        self.worker.start()
        self.beat.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.beat.stop()
        self.worker.stop()
        self.redis.stop()


def test_a_redis_restart_mid_run_still_finishes(user: Any, tmp_path: Path) -> None:
    import redis

    with Stack(tmp_path) as stack:
        run = stack.start_run(user, branches(4))
        broker = redis.Redis.from_url(stack.url)
        # a trainer runs and the others' messages wait in Redis (a worker may continue with a
        # child in the same task: running can show before the siblings' messages are sent)
        stack.wait_until(lambda: NodeRun.objects.filter(
            run=run, node_id__startswith="xgb", status="running").exists() and broker.llen("cpu"))
        broker.close()
        # when: Redis dies with the queued messages and comes back empty
        stack.restart_redis()
        # then
        run = wait_finished(run.pk, stack.worker, timeout=60)
        assert run.status == "succeeded", run.error
        done = Counter(RunEvent.objects.filter(run=run, type="node.succeeded")
                       .values_list("node_id", flat=True))
        assert done == Counter({n["id"]: 1 for n in branches(4)["nodes"]})
        assert "reconciler: {'resent'" in stack.log()  # queued messages were lost, sent again


def test_the_worker_keeps_consuming_after_redis_restarts_under_a_running_task(
    user: Any, tmp_path: Path
) -> None:
    with Stack(tmp_path) as stack:
        run = stack.start_run(user, branches(1))
        stack.wait_until(lambda: NodeRun.objects.filter(run=run, node_id="xgb0",
                                                        status="running").exists())
        # when: the broker goes away while the task that runs xgb0 is unacknowledged
        stack.restart_redis()
        # then: that run finishes, and the worker still takes new work
        assert wait_finished(run.pk, stack.worker, timeout=60).status == "succeeded"
        after = stack.start_run(user, branches(1))
        assert wait_finished(after.pk, stack.worker, timeout=60).status == "succeeded"
        assert "Unrecoverable error" not in stack.log()
