"""Runs executed by a REAL Celery worker process (prefork, 2 children) against the real PostgreSQL
test database and Redis (db 9): sample run equals the local runner, fully cached rerun queues
nothing, failures skip only their branch, cancel stops a long node, a SIGKILLed pool process is
redelivered and its node recorded once, and the reconciler repairs lost messages and dead workers;
a GPU worker as deployed (``-Q gpu -P solo``) stops a node at its time limit and trains the
PyTorch sample's network (with epoch progress) while the CPU worker runs the rest.

Skipped when PostgreSQL or Redis is not reachable (the worker must share the test database).
"""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from execution_stack import (
    WorkerProcess,
    consuming_paused,
    postgres_url,
    redis_answers,
    wait_finished,
)
from server_graphs import edge, graph, iris_graph, node

from designer.catalogue.selectors import component_registry
from designer.dag.plan import ExecutionPlan
from designer.runs.artifacts import artifact_store
from designer.runs.execution import state
from designer.runs.execution.plans import run_plan
from designer.runs.models import NodeRun, Run, RunEvent
from designer.runs.services import run_cancel, run_start
from designer.samples import load_sample
from designer.workflows.services import workflow_create
from workers.artifacts import ArtifactRef, LocalArtifactStore
from workers.runner import LocalRunner
from workers.tasks import reconcile_runs

REDIS_TEST_URL = "redis://127.0.0.1:6379/9"
SEND_WINDOW = 4  # small, so wide runs here leave nodes unsent for busy workers to take

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture(scope="session")
def worker(django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[WorkerProcess]:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("execution tests need PostgreSQL: the worker process shares the test database")
    if not redis_answers(REDIS_TEST_URL):
        pytest.skip(f"execution tests need Redis at {REDIS_TEST_URL}")
    import redis

    from workers.celery import app

    redis.Redis.from_url(REDIS_TEST_URL).flushdb()
    app.conf.broker_url = REDIS_TEST_URL  # this process sends to the worker's Redis
    proc = WorkerProcess(
        {"DATABASE_URL": postgres_url(connection.settings_dict), "REDIS_URL": REDIS_TEST_URL,
         "DESIGNER_EXECUTION": "celery", "DESIGNER_HOME": os.environ["DESIGNER_HOME"],
         "DESIGNER_SEND_WINDOW": str(SEND_WINDOW),
         # as deployed, every process knows the GPU workers (queue_for routes GPU nodes to
         # them); only the GPU tests' runs have GPU nodes, and they start ``gpu_worker``
         "DESIGNER_GPU_WORKERS": "1"},
        tmp_path_factory.mktemp("worker") / "worker.log",
    )
    proc.start()
    yield proc
    proc.stop()


@pytest.fixture(scope="module")
def gpu_worker(worker: WorkerProcess, tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[WorkerProcess]:
    """A GPU worker as deployed: ``-Q gpu -P solo -c 1`` (on this machine's CPU)."""
    proc = WorkerProcess(worker.env,
                         tmp_path_factory.mktemp("gpu-worker") / "worker.log", concurrency=1,
                         name="designer-test-gpu", queue="gpu", pool="solo")
    proc.start()
    yield proc
    proc.stop()


@pytest.fixture(autouse=True)
def _celery_mode(settings: Any) -> None:
    settings.DESIGNER_EXECUTION = "celery"


def wait_for(condition: Any, what: str, timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def events(run_id: int, node_id: str | None = None) -> list[tuple[str, str, dict[str, Any]]]:
    rows = RunEvent.objects.filter(run_id=run_id).order_by("seq")
    if node_id is not None:
        rows = rows.filter(node_id=node_id)
    return [(e.type, e.node_id, e.payload) for e in rows]


def output(run: Run, node_id: str, port: str) -> Any:
    ref = ArtifactRef.from_dict(run.nodes.get(node_id=node_id).outputs[port])
    return artifact_store().get(ref)


def assert_metrics_as_in_process(run: Run, tmp_path: Path) -> None:
    """The run's metrics are exactly those of the same plan on the in-process runner."""
    local = LocalRunner(LocalArtifactStore(tmp_path), component_registry()).run(
        ExecutionPlan.from_dict(run.plan), use_cache=False)
    assert output(run, "classification_metrics", "metrics") == local.metrics(
        "classification_metrics")


def xgb_graph(rounds: int) -> dict[str, Any]:
    """Synthetic data -> XGBoost (one progress report per round) -> predict -> metrics."""
    return graph(
        [node("data", "datasets.make_classification", n_samples=20_000, n_features=20,
              n_informative=5, random_state=0),
         node("xgb", "training.xgboost_classifier", target="target", n_estimators=rounds),
         node("predict", "evaluation.predict"),
         node("metrics", "evaluation.classification_metrics")],
        [edge("data", "table", "xgb", "table"), edge("xgb", "model", "predict", "model"),
         edge("data", "table", "predict", "table"), edge("predict", "table", "metrics", "table")],
    )


def test_sample_run_on_the_worker_matches_the_local_runner(
    worker: WorkerProcess, api: Any, user: Any, tmp_path: Path
) -> None:
    wf = workflow_create(owner=user, name="iris", graph=iris_graph())
    # when: started through the REST API, executed by the worker process
    response = api.post(f"/api/workflows/{wf.pk}/runs/", {"use_cache": False}, format="json")
    assert response.status_code == 201, response.json()
    run = wait_finished(response.json()["id"], worker)
    # then
    assert run.status == "succeeded", run.error
    assert_metrics_as_in_process(run, tmp_path)
    seqs = list(RunEvent.objects.filter(run=run).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    stream = events(run.pk)
    assert stream[0][0] == "run.started" and stream[-1][:1] == ("run.finished",)
    pool = set(worker.children())
    for n in run.nodes.all():
        kinds = [t for t, _, _ in events(run.pk, n.node_id) if t not in ("node.log",
                                                                         "node.progress")]
        assert kinds == ["node.queued", "node.started", "node.succeeded"], (n.node_id, kinds)
        started = next(p for t, _, p in events(run.pk, n.node_id) if t == "node.started")
        assert int(started["worker"].rsplit(":", 1)[1]) in pool  # ran in a worker child
        done = next(p for t, _, p in events(run.pk, n.node_id) if t == "node.succeeded")
        for ref in done["outputs"].values():  # the storage path stays on the server
            assert set(ref) == {"type", "digest", "size", "summary"}, ref
        assert n.attempt == 1 and n.started_at <= n.finished_at


def test_fully_cached_rerun_finishes_at_once_with_nothing_queued(
    worker: WorkerProcess, user: Any
) -> None:
    wf = workflow_create(owner=user, name="iris", graph=iris_graph())
    assert wait_finished(run_start(workflow=wf, user=user).pk, worker).status == "succeeded"
    # when
    rerun = run_start(workflow=wf, user=user)
    # then: finished before run_start returned (dispatch runs on commit), no node executed
    rerun.refresh_from_db()
    assert rerun.status == "succeeded"
    assert set(rerun.nodes.values_list("status", "attempt")) == {("cached", 0)}
    assert [t for t, _, _ in events(rerun.pk)] == ["run.started"] + ["node.cached"] * 8 + [
        "run.finished"]
    for t, _, payload in events(rerun.pk):
        if t == "node.cached":
            assert all(set(ref) == {"type", "digest", "size", "summary"}
                       for ref in payload["outputs"].values()), payload


def test_a_failing_node_fails_the_run_and_spares_the_independent_branch(
    worker: WorkerProcess, user: Any
) -> None:
    doc = graph(
        [node("read", "io.read_csv", path="missing.csv"),
         node("keep", "preprocessing.select_columns", columns=["a"]),
         node("iris", "datasets.iris"),
         node("pass", "utilities.passthrough")],
        [edge("read", "table", "keep", "table"), edge("iris", "table", "pass", "table")],
    )
    wf = workflow_create(owner=user, name="broken", graph=doc)
    # when
    run = wait_finished(run_start(workflow=wf, user=user, use_cache=False).pk, worker)
    # then
    statuses = dict(run.nodes.values_list("node_id", "status"))
    assert statuses == {"read": "failed", "keep": "skipped", "iris": "succeeded",
                        "pass": "succeeded"}
    assert run.status == "failed" and "read" in run.error and "missing.csv" in run.error
    failed = next(p for t, _, p in events(run.pk, "read") if t == "node.failed")
    assert "no file 'missing.csv'" in failed["error"]
    assert "FileNotFoundError" in failed["traceback"]
    assert [(t, p["upstream"]) for t, _, p in events(run.pk, "keep")] == [("node.skipped",
                                                                            "read")]
    assert events(run.pk)[-1][2] == {"status": "failed", "error": run.error}


def test_cancel_stops_a_long_node_and_queued_nodes_never_start(
    worker: WorkerProcess, user: Any
) -> None:
    wf = workflow_create(owner=user, name="long", graph=xgb_graph(rounds=10_000))  # ~1 min
    run = run_start(workflow=wf, user=user)
    wait_for(lambda: any(t == "node.progress" and p["value"] >= 1
                         for t, _, p in events(run.pk, "xgb")), "XGBoost to report a round")
    # when
    cancelled_at = time.monotonic()
    run_cancel(run=run)
    run = wait_finished(run.pk, worker, timeout=10)
    # then: stopped at the next round's check, within a second or two
    assert time.monotonic() - cancelled_at < 5
    assert run.status == "cancelled"
    nodes = {n.node_id: n for n in run.nodes.all()}
    assert nodes["xgb"].status == "cancelled" and nodes["xgb"].attempt == 1
    assert (nodes["predict"].status, nodes["predict"].attempt) == ("cancelled", 0)
    assert [t for t, _, _ in events(run.pk, "predict")] == ["node.cancelled"]
    assert events(run.pk)[-1][0] == "run.finished"
    assert not NodeRun.objects.filter(run=run, node_id="xgb", outputs__has_key="model").exists()


def test_the_time_limit_stops_a_node_that_runs_too_long(
    worker: WorkerProcess, user: Any, settings: Any
) -> None:
    settings.DESIGNER_NODE_TIME_LIMIT_S = 1.5  # sent with each message (soft; hard = +60 s)
    wf = workflow_create(owner=user, name="slow", graph=xgb_graph(rounds=10_000))
    # when
    run = wait_finished(run_start(workflow=wf, user=user).pk, worker, timeout=20)
    # then
    xgb = run.nodes.get(node_id="xgb")
    assert (run.status, xgb.status) == ("failed", "failed")
    assert "longer than its time limit" in xgb.error and "SoftTimeLimitExceeded" in xgb.traceback
    assert run.nodes.get(node_id="predict").status == "skipped"


def test_a_solo_gpu_worker_applies_the_time_limit_itself_and_goes_on(
    gpu_worker: WorkerProcess, worker: WorkerProcess, user: Any, settings: Any
) -> None:
    # given: the data in the cache, so the network is the run's first node and its message
    # goes (from here) to the gpu queue; Celery's own limits do nothing in a solo pool
    settings.DESIGNER_GPU_WORKERS = 1
    data = node("data", "datasets.make_classification", n_samples=2000, random_state=0)
    wf_data = workflow_create(owner=user, name="data", graph=graph([data]))
    assert wait_finished(run_start(workflow=wf_data, user=user).pk, worker).status == "succeeded"

    def mlp_run(epochs: int) -> Run:
        doc = graph([data, node("mlp", "training.torch_mlp_classifier", target="target",
                                epochs=epochs, hidden_layers=[256, 256])],
                    [edge("data", "table", "mlp", "table")])
        wf = workflow_create(owner=user, name=f"mlp {epochs}", graph=doc)
        return wait_finished(run_start(workflow=wf, user=user).pk, gpu_worker, timeout=60)

    # when
    settings.DESIGNER_NODE_TIME_LIMIT_S = 1.5
    slow = mlp_run(epochs=10_000)
    # then: stopped by the soft limit, in the solo worker's process, which then runs the next
    mlp = slow.nodes.get(node_id="mlp")
    assert (slow.status, mlp.status) == ("failed", "failed")
    assert "longer than its time limit" in mlp.error, mlp.traceback
    assert "SoftTimeLimitExceeded" in mlp.traceback
    started = next(p for t, _, p in events(slow.pk, "mlp") if t == "node.started")
    assert started["worker"].endswith(f":{gpu_worker.pid}")
    settings.DESIGNER_NODE_TIME_LIMIT_S = 600
    quick = mlp_run(epochs=2)
    assert quick.status == "succeeded", quick.error
    assert gpu_worker.proc is not None and gpu_worker.proc.poll() is None


def test_the_pytorch_sample_trains_on_the_gpu_worker_with_epoch_progress(
    gpu_worker: WorkerProcess, worker: WorkerProcess, user: Any, settings: Any, tmp_path: Path
) -> None:
    # given: a GPU worker is configured, so the network's node is queued for it
    settings.DESIGNER_GPU_WORKERS = 1
    wf = workflow_create(owner=user, name="digits", graph=load_sample("digits_torch_mlp")[2]
                         .to_dict())
    # when
    run = wait_finished(run_start(workflow=wf, user=user, use_cache=False).pk, worker,
                        timeout=90)
    # then: the network ran in the solo GPU worker, everything else in the CPU worker's children
    assert run.status == "succeeded", run.error
    nodes = {n.node_id: n for n in run.nodes.all()}
    assert {n: r.queue for n, r in nodes.items() if r.queue != "cpu"} == {
        "torch_mlp_classifier": "gpu"}
    pool = set(worker.children())
    for node_id in nodes:
        started = next(p for t, _, p in events(run.pk, node_id) if t == "node.started")
        pid = int(started["worker"].rsplit(":", 1)[1])
        assert (pid == gpu_worker.pid if node_id == "torch_mlp_classifier" else pid in pool), (
            node_id, pid, gpu_worker.pid, pool)
    # real progress: epochs, increasing, the last one recorded on the node
    epochs = [p for t, _, p in events(run.pk, "torch_mlp_classifier") if t == "node.progress"]
    values = [p["value"] for p in epochs]
    assert values and values == sorted(values) and {p["max"] for p in epochs} == {30}
    assert nodes["torch_mlp_classifier"].progress["value"] == 30
    # and the same metrics as the same plan in one process
    assert_metrics_as_in_process(run, tmp_path)


def test_the_churn_demo_reports_its_boosting_rounds_live_and_matches_the_local_runner(
    worker: WorkerProcess, user: Any, tmp_path: Path
) -> None:
    # given: the demo the overhead target is held to (100,000 rows, 200 boosting rounds)
    wf = workflow_create(owner=user, name="churn",
                         graph=load_sample("synthetic_churn_xgboost")[2].to_dict())
    # when
    run = wait_finished(run_start(workflow=wf, user=user, use_cache=False).pk, worker,
                        timeout=120)
    # then: rounds reported in order, written while it trained (not only with its end)
    assert run.status == "succeeded", run.error
    training = run.nodes.get(node_id="xgboost_classifier")
    rounds = list(RunEvent.objects.filter(run=run, node_id="xgboost_classifier",
                                          type="node.progress").order_by("seq"))
    values = [e.payload["value"] for e in rounds]
    assert len(values) >= 3 and values == sorted(values)
    assert {e.payload["max"] for e in rounds} == {200} and training.progress["value"] == 200
    assert min(e.ts for e in rounds) < training.finished_at
    # and the same metrics as the same plan in one process
    assert_metrics_as_in_process(run, tmp_path)
    assert output(run, "classification_metrics", "metrics")["roc_auc"] > 0.95


def test_workers_and_web_share_artifacts_through_a_remote_store(
    worker: WorkerProcess, api: Any, user: Any, settings: Any, tmp_path: Path
) -> None:
    # given: a store every machine reaches by URL (a shared folder here; S3 in production), and
    # a worker and this web process that each keep their own copies
    shared = tmp_path / "object-store"
    settings.DESIGNER_ARTIFACT_ROOT = shared.as_uri()
    settings.DESIGNER_ARTIFACT_CACHE = tmp_path / "web-copies"
    remote = WorkerProcess({**worker.env, "DESIGNER_ARTIFACT_ROOT": shared.as_uri(),
                            "DESIGNER_ARTIFACT_CACHE": str(tmp_path / "worker-copies")},
                           tmp_path / "worker.log", concurrency=1, name="designer-test-remote")
    from workers.celery import app

    wf = workflow_create(owner=user, name="iris remote", graph=iris_graph())
    # when: run by that worker (the usual one stands aside), then previewed through the API
    with consuming_paused(app, worker):
        remote.start()
        try:
            response = api.post(f"/api/workflows/{wf.pk}/runs/", {"use_cache": False},
                                format="json")
            run = wait_finished(response.json()["id"], remote)
        finally:
            remote.stop()
    preview = api.get(f"/api/runs/{run.pk}/nodes/classification_metrics/outputs/metrics/")
    # then: the same metrics as in-process, read from the shared store
    assert run.status == "succeeded", run.error
    local = LocalRunner(LocalArtifactStore(tmp_path / "local"), component_registry()).run(
        ExecutionPlan.from_dict(run.plan), use_cache=False)
    assert preview.status_code == 200
    assert preview.json()["metrics"] == pytest.approx(
        local.metrics("classification_metrics"))
    uris = [ref["uri"] for n in run.nodes.all() for ref in n.outputs.values()]
    assert uris and all(u.startswith(shared.as_uri() + "/objects/") for u in uris)
    assert len(list((tmp_path / "web-copies").rglob("*.json"))) == 1  # fetched: the metrics


def test_a_pool_process_killed_mid_node_is_redelivered_and_recorded_once(
    worker: WorkerProcess, user: Any
) -> None:
    wf = workflow_create(owner=user, name="killed", graph=xgb_graph(rounds=300))  # ~2 s
    run = run_start(workflow=wf, user=user, use_cache=False)
    started = wait_for(lambda: next((p for t, _, p in events(run.pk, "xgb")
                                     if t == "node.started"), None), "xgb to start")
    wait_for(lambda: any(t == "node.progress" and p["value"] >= 1
                         for t, _, p in events(run.pk, "xgb")), "XGBoost to report a round")
    # when: SIGKILL the pool process running the node
    pid = int(started["worker"].rsplit(":", 1)[1])
    assert pid in worker.children()
    os.kill(pid, signal.SIGKILL)
    run = wait_finished(run.pk, worker, timeout=60)
    # then: the broker redelivered the message, the node ran again and was recorded once
    assert run.status == "succeeded", run.error
    xgb = run.nodes.get(node_id="xgb")
    assert xgb.attempt == 2
    kinds = Counter((t, n) for t, n, _ in events(run.pk))
    assert kinds[("node.started", "xgb")] == 2
    assert {n: kinds[("node.succeeded", n)] for n in ("data", "xgb", "predict", "metrics")} == {
        "data": 1, "xgb": 1, "predict": 1, "metrics": 1}
    assert 0 <= output(run, "metrics", "metrics")["accuracy"] <= 1
    assert worker.proc is not None and worker.proc.poll() is None  # the worker lives on


def test_the_reconciler_resends_a_lost_message(worker: WorkerProcess, user: Any,
                                               settings: Any) -> None:
    import redis

    from workers.celery import app

    wf = workflow_create(owner=user, name="lost", graph=iris_graph())
    with consuming_paused(app, worker):
        run = run_start(workflow=wf, user=user, use_cache=False)
        # Redis loses its data (a restart without persistence): the queued message is gone
        assert redis.Redis.from_url(REDIS_TEST_URL).delete("cpu") == 1
    time.sleep(0.3)
    assert run.nodes.get(node_id="iris").status == "queued"
    # when
    settings.DESIGNER_REQUEUE_AFTER_S = 0
    assert reconcile_runs() == {"resent": 1}
    # then
    assert wait_finished(run.pk, worker).status == "succeeded"


def test_the_reconciler_requeues_a_node_whose_worker_went_silent(
    worker: WorkerProcess, user: Any, settings: Any
) -> None:
    from workers.celery import app

    wf = workflow_create(owner=user, name="silent", graph=iris_graph())
    with consuming_paused(app, worker):
        run = run_start(workflow=wf, user=user, use_cache=False)
        # a worker claims the root, then dies without a trace (no redelivery)
        claim = state.node_claim(run_plan(run.pk), run_id=run.pk, node_id="iris",
                                 task_id="dead-worker", worker="elsewhere:1")
        assert claim is not None and claim.attempt == 1
    # the real message arrives: the node is someone else's, so the worker does nothing
    time.sleep(0.5)
    assert run.nodes.get(node_id="iris").status == "running"
    NodeRun.objects.filter(run=run, node_id="iris").update(
        heartbeat_at=run.created_at.replace(year=2000))
    # when
    assert reconcile_runs() == {"requeued": 1}
    # then
    run = wait_finished(run.pk, worker)
    assert run.status == "succeeded", run.error
    assert run.nodes.get(node_id="iris").attempt == 2
    queued = [p for t, _, p in events(run.pk, "iris") if t == "node.queued"]
    assert "worker lost" in queued[-1]["reason"]


def test_a_chain_continues_in_one_task_with_the_same_events(worker: WorkerProcess,
                                                            user: Any) -> None:
    names = ["p1", "p2", "p3"]
    doc = graph([node("iris", "datasets.iris")] + [node(n, "utilities.passthrough") for n in names],
                [edge(a, "table", b, "table") for a, b in zip(["iris", *names], names,
                                                              strict=False)])
    wf = workflow_create(owner=user, name="chain", graph=doc)
    # when
    run = wait_finished(run_start(workflow=wf, user=user, use_cache=False).pk, worker)
    # then: one worker process ran them back to back (no broker hop), recording as usual
    assert run.status == "succeeded", run.error
    started = {n: p["worker"] for t, n, p in events(run.pk) if t == "node.started"}
    assert len(set(started.values())) == 1 and set(started) == {"iris", *names}
    for name in ["iris", *names]:
        assert [t for t, _, _ in events(run.pk, name)] == ["node.queued", "node.started",
                                                           "node.succeeded"]
    seqs = list(RunEvent.objects.filter(run=run).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1)) and events(run.pk)[-1][0] == "run.finished"
    digests = {n.node_id: n.outputs["table"]["digest"] for n in run.nodes.all()}
    assert len(set(digests.values())) == 1  # a pass-through stores nothing new


def test_a_fan_out_on_two_processes_keeps_one_ordered_stream(worker: WorkerProcess,
                                                             user: Any) -> None:
    kids = [f"k{i:02d}" for i in range(40)]
    doc = graph([node("iris", "datasets.iris")] + [node(k, "utilities.passthrough") for k in kids],
                [edge("iris", "table", k, "table") for k in kids])
    wf = workflow_create(owner=user, name="fan", graph=doc)
    # when
    run = wait_finished(run_start(workflow=wf, user=user, use_cache=False).pk, worker)
    # then
    assert run.status == "succeeded", run.error
    stream = events(run.pk)
    seqs = list(RunEvent.objects.filter(run=run).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1)) and stream[-1][0] == "run.finished"
    for k in kids:
        assert [t for t, _, _ in events(run.pk, k)] == ["node.queued", "node.started",
                                                        "node.succeeded"], k
    workers = {p["worker"] for t, _, p in stream if t == "node.started"}
    assert len(workers) == 2  # both pool processes took children
    assert set(run.nodes.values_list("attempt", flat=True)) == {1}
    # only the window's children had messages: busy workers took the rest from the database
    tasks = set(run.nodes.filter(node_id__in=kids).values_list("task_id", flat=True))
    assert len(tasks) < len(kids) // 2, len(tasks)
    assert not run.nodes.filter(unsent=True).exists()


def test_a_task_that_crashes_before_its_claim_fails_the_node(worker: WorkerProcess,
                                                            user: Any) -> None:
    import redis

    from workers.celery import RUN_NODE, app

    wf = workflow_create(owner=user, name="crash", graph=iris_graph())
    with consuming_paused(app, worker):
        run = run_start(workflow=wf, user=user, use_cache=False)
        assert redis.Redis.from_url(REDIS_TEST_URL).delete("cpu") == 1  # the good message
        # when: the node's message makes the task itself raise before it claims (a bug)
        app.send_task(RUN_NODE, args=[run.pk, "iris", "unexpected"], queue="cpu")
    # then: the node fails with the task's error instead of waiting in "queued" forever
    run = wait_finished(run.pk, worker)
    iris = run.nodes.get(node_id="iris")
    assert run.status == "failed" and iris.status == "failed" and iris.attempt == 0
    assert iris.error.startswith("internal error before this node started: TypeError"), iris.error
    assert "Traceback" in iris.traceback
    assert set(run.nodes.exclude(node_id="iris").values_list("status", flat=True)) == {"skipped"}


def test_a_node_whose_messages_keep_vanishing_fails_after_the_resend_limit(
    worker: WorkerProcess, user: Any, settings: Any
) -> None:
    import redis

    from workers.celery import app

    settings.DESIGNER_REQUEUE_AFTER_S = 0
    settings.DESIGNER_NODE_MAX_RESENDS = 2
    broker = redis.Redis.from_url(REDIS_TEST_URL)
    wf = workflow_create(owner=user, name="vanishing", graph=iris_graph())
    with consuming_paused(app, worker):
        run = run_start(workflow=wf, user=user, use_cache=False)
        # when: every message sent for the node is lost before a worker takes it
        assert broker.delete("cpu") == 1
        assert reconcile_runs() == {"resent": 1}
        assert broker.delete("cpu") == 1
        assert reconcile_runs() == {"resent": 1}
        assert broker.delete("cpu") == 1
        report = reconcile_runs()
    # then: the third time the reconciler gives up with a reason, and the run ends
    assert report.get("failed") == 1 and "resent" not in report, report
    run = wait_finished(run.pk, worker)
    iris = run.nodes.get(node_id="iris")
    assert run.status == "failed" and iris.status == "failed" and iris.resends == 2
    assert iris.error.startswith("no worker started this node: its task was sent 3 times"), (
        iris.error)
    assert "queue 'cpu'" in iris.error


def test_unsent_nodes_are_sent_by_the_reconciler_when_no_worker_has_their_run(
    worker: WorkerProcess, user: Any, settings: Any
) -> None:
    import redis

    from workers.celery import app

    settings.DESIGNER_SEND_WINDOW = SEND_WINDOW
    roots = [f"r{i}" for i in range(10)]
    doc = graph([node(r, "datasets.iris") for r in roots], [])
    wf = workflow_create(owner=user, name="roots", graph=doc)
    with consuming_paused(app, worker):
        run = run_start(workflow=wf, user=user, use_cache=False)
        assert run.nodes.filter(status="queued", unsent=True).count() == 10 - SEND_WINDOW
        # when: the window's messages are lost, so no worker ever works on this run
        assert redis.Redis.from_url(REDIS_TEST_URL).delete("cpu") == 1
        settings.DESIGNER_REQUEUE_AFTER_S = 0
        report = reconcile_runs()
    # then: the lost ones are resent and the never-sent ones sent (not counted as resends)
    assert report == {"resent": SEND_WINDOW, "sent": 10 - SEND_WINDOW}, report
    run = wait_finished(run.pk, worker)
    assert run.status == "succeeded", run.error
    assert sorted(run.nodes.values_list("resends", flat=True)) == [0] * 6 + [1] * 4
