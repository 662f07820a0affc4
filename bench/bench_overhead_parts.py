"""Benchmark: where the server's overhead on a sample pipeline goes, without the broker.

Run: ``.venv/bin/python bench/bench_overhead_parts.py [--samples S ...] [--repeats 21]``.
Runs the server's execution path in this one process (``run_start``, then ``node_execute`` for
each message, which a synchronous sender hands straight back: no Redis hop, no Celery) against
PostgreSQL (a fresh database ``designer_bench_parts``), in back-to-back pairs with the same
plan on the in-process ``LocalRunner``. Prints the median extra time per run and its parts: the
run's start, claims, successes and the PostgreSQL scripts inside them, and each step's time on
both paths. What ``bench_dispatch.py``'s ratio adds on top of this is Celery and the worker.

Findings (2 cores, 2026-11-28): iris adds 20-30 ms on this path (steps ~28 vs ~32 ms). A run's
start is ~6 ms (compile ~0.9, rows, commit, the start script); each success ~1.9 ms, of which
the script's round trip is ~1.2-1.7 ms (PostgreSQL runs its six statements in ~1 ms on this
machine) and Python the rest; a first claim ~1 ms. Steps run 0.3-1 ms longer than in the plain
runner. Starting a child whose claim is certain while its parent's success script runs on the
event writer's thread took the script off the critical path but made the overlapping steps 2-3
ms slower (the thread's GIL hand-offs around each socket read and write, 2 cores shared with
PostgreSQL): iris 1-3 % slower, XGBoost ~5 % faster; not kept. The PyTorch sample adds ~50 ms:
the fixed part above plus its training step ~3 % longer (599 vs 579 ms), while the event thread
writes the epoch reports and log lines it shows live (~5 round trips during the step).
Where a success script's ~1.5 ms goes (auto_explain with analyze, 2026-11-28): the executor
runs its statements in ~0.5 ms (succeed 0.30, claim_next 0.11, lock 0.03, finish, outputs and
the settings ~0.015 each); the rest is per-statement work around it (opening three tables and
their indexes, the foreign-key checks of each inserted event, parsing the JSON literals, the
commit) and the client. A smaller switch interval (GIL) changed nothing. Even with every
success free, iris would still add ~16 ms here (run start, claims, steps): the per-node state
machine is not what keeps a 50 ms pipeline above 1.10.
"""

from __future__ import annotations

import argparse
import collections
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(ROOT / "tests" / "designer")]

from bench_dispatch import PG_ADMIN  # noqa: E402

BENCH_DB = "designer_bench_parts"
TIMES: dict[tuple[str, str], list[float]] = collections.defaultdict(list)


def timed(owner: Any, name: str, label: str, key: Callable[..., str] | None = None) -> None:
    """Record the wall time of every call of ``owner.name`` under ``(label, key(args))``."""
    inner = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            what = key(*args, **kwargs) if key else name
            TIMES[(label, what)].append(time.perf_counter() - start)

    setattr(owner, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", nargs="*",
                        default=["iris_logistic_regression", "breast_cancer_xgboost"])
    parser.add_argument("--repeats", type=int, default=21)
    args = parser.parse_args()

    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    home = Path(tempfile.mkdtemp(prefix="designer-bench-parts-"))
    os.environ.update({
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/3"),
        "DESIGNER_HOME": str(home), "DESIGNER_EXECUTION": "celery", "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "designer.settings"})
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    instrument()
    try:
        for sample in args.samples:
            TIMES.clear()
            measure(sample, args.repeats)
    finally:
        connection.close()
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


MESSAGES: collections.deque[tuple[int, str]] = collections.deque()


class SyncSender:
    """Hands the messages of ``nodes_send`` back to this process's loop (no broker)."""

    def send(self, run_id: int, items: Any) -> None:
        MESSAGES.extend((run_id, n) for n, _ in items)

    def backlog(self, queue: str) -> int:
        return 0


def instrument() -> None:
    """Once: the synchronous sender, and timers on the parts of the server's path."""
    import workers.runner
    from designer.realtime.publish import publish_without_waiting
    from designer.runs import services
    from designer.runs.execution import fast, node, send, state

    send._celery_sender = SyncSender()  # type: ignore[assignment]
    publish_without_waiting()
    def step_id(step: Any, *args: Any, **kwargs: Any) -> str:
        return str(step.step_id)

    timed(node, "run_step", "server", step_id)  # each module's own name for the same function
    timed(workers.runner, "run_step", "local", step_id)
    timed(services, "_compile", "part", lambda *a, **k: "run start: compile")
    timed(state, "node_claim", "part", lambda *a, **k: "claim (first node of a message)")
    timed(state, "node_succeed", "part", lambda *a, **k: "success (incl. next claim)")
    timed(fast, "_script", "part",
          lambda calls: "  PostgreSQL script " + "+".join(k for k, _ in calls))


def measure(sample: str, repeats: int) -> None:
    from django.contrib.auth import get_user_model

    from designer.catalogue.selectors import component_registry
    from designer.dag.plan import ExecutionPlan
    from designer.runs import services
    from designer.runs.execution import node
    from designer.runs.models import Run
    from designer.samples import load_sample
    from designer.workflows.services import workflow_create
    from workers.artifacts import LocalArtifactStore
    from workers.runner import LocalRunner

    user, _ = get_user_model().objects.get_or_create(username="bench")
    wf = workflow_create(owner=user, name=sample, graph=load_sample(sample)[2].to_dict())

    def server() -> float:
        start = time.perf_counter()
        run = services.run_start(workflow=wf, user=user, use_cache=False)
        TIMES[("part", "run start (until dispatched)")].append(time.perf_counter() - start)
        while MESSAGES:
            run_id, node_id = MESSAGES.popleft()
            node.node_execute(run_id=run_id, node_id=node_id, task_id=uuid.uuid4().hex,
                              queue="cpu", soft_limit_s=3600)
        took = time.perf_counter() - start
        assert Run.objects.get(pk=run.pk).status == "succeeded"
        return took

    server()  # warms imports and caches; gives the plan
    plan = ExecutionPlan.from_dict(Run.objects.filter(workflow=wf).latest("pk").plan)
    runner = LocalRunner(LocalArtifactStore(tempfile.mkdtemp()), component_registry())

    def local() -> float:
        start = time.perf_counter()
        assert runner.run(plan, use_cache=False).status == "succeeded"
        return time.perf_counter() - start

    local()
    TIMES.clear()
    pairs = []
    for i in range(repeats):  # alternating which goes first: this machine's speed drifts
        if i % 2:
            lo = local()
            pairs.append((server(), lo))
        else:
            pairs.append((server(), local()))
    extra = statistics.median((s - lo) * 1000 for s, lo in pairs)
    print(f"{sample}: in-process server path {statistics.median(s for s, _ in pairs) * 1000:.1f}"
          f" ms vs local runner {statistics.median(lo for _, lo in pairs) * 1000:.1f} ms, "
          f"+{extra:.1f} ms ({repeats} pairs)")
    for (label, what), values in sorted(TIMES.items()):
        if label == "part":
            per_run = sum(values) * 1000 / repeats
            print(f"  {what:52s} {statistics.median(values) * 1000:6.2f} ms x "
                  f"{len(values) / repeats:4.1f} = {per_run:6.2f} ms per run")
    for node_id in sorted({w for (label, w) in TIMES if label == "server"}):
        srv = statistics.median(TIMES[("server", node_id)]) * 1000
        loc = statistics.median(TIMES[("local", node_id)]) * 1000
        print(f"  step {node_id:30s} server {srv:6.2f} ms, local {loc:6.2f} ms")


if __name__ == "__main__":
    main()
