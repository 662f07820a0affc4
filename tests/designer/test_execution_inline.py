"""Execution without a broker (``DESIGNER_EXECUTION=inline``): the same node code on a thread pool
in this process. Runs on SQLite or PostgreSQL, no Redis needed. Also: queue choice for GPU steps,
and reconciler passes that need no worker."""

from __future__ import annotations

from typing import Any

import pytest
from execution_stack import wait_finished
from server_graphs import edge, graph, iris_graph, node

from designer.runs.execution.reconcile import runs_reconcile
from designer.runs.execution.send import queue_for
from designer.runs.models import NodeRun, Run, RunStatus
from designer.runs.services import _compile, _node_runs, run_start
from designer.workflows.services import workflow_create

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _inline(settings: Any) -> None:
    from django.db import connection

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("pytest-django's in-memory SQLite locks whole tables across threads; "
                    "run with PostgreSQL (a file SQLite database, as `./dev` uses, works)")
    settings.DESIGNER_EXECUTION = "inline"


def test_inline_run_then_fully_cached_rerun(user: Any) -> None:
    wf = workflow_create(owner=user, name="iris", graph=iris_graph())
    # when
    run = wait_finished(run_start(workflow=wf, user=user, use_cache=False).pk)
    rerun = run_start(workflow=wf, user=user)
    # then
    assert run.status == "succeeded", run.error
    assert set(run.nodes.values_list("status", "attempt")) == {("succeeded", 1)}
    predict = run.nodes.get(node_id="predict")  # two parents: queued exactly once
    assert run.events.filter(type="node.queued", node_id="predict").count() == 1
    assert predict.remaining_parents == 0
    kinds = list(run.events.filter(node_id="logistic_regression").order_by("seq")
                 .values_list("type", flat=True))
    assert kinds[:2] == ["node.queued", "node.started"] and kinds[-1] == "node.succeeded"
    assert {"node.log", "node.progress"} <= set(kinds)  # logs and progress come before the end
    rerun.refresh_from_db()
    assert rerun.status == "succeeded"  # finished on commit: nothing was queued
    assert set(rerun.nodes.values_list("status", "attempt")) == {("cached", 0)}


def test_inline_failure_skips_only_downstream(user: Any) -> None:
    doc = graph(
        [node("read", "io.read_csv", path="nowhere.csv"),
         node("pass", "utilities.passthrough"),
         node("pass2", "utilities.passthrough"),
         node("iris", "datasets.iris")],
        [edge("read", "table", "pass", "table"), edge("pass", "table", "pass2", "table")],
    )
    wf = workflow_create(owner=user, name="broken", graph=doc)
    run = wait_finished(run_start(workflow=wf, user=user, use_cache=False).pk)
    assert dict(run.nodes.values_list("node_id", "status")) == {
        "read": "failed", "pass": "skipped", "pass2": "skipped", "iris": "succeeded"}
    assert run.status == "failed"
    assert run.error.startswith("node 'read' failed: ") and "2 downstream" in run.error


def test_gpu_steps_use_the_cpu_queue_unless_a_gpu_worker_is_configured(settings: Any) -> None:
    settings.DESIGNER_GPU_WORKERS = 0
    assert (queue_for("gpu"), queue_for("cpu")) == ("cpu", "cpu")
    settings.DESIGNER_GPU_WORKERS = 1
    assert (queue_for("gpu"), queue_for("cpu")) == ("gpu", "cpu")


def test_reconciler_dispatches_a_run_the_web_process_never_dispatched(
    user: Any, settings: Any
) -> None:
    wf = workflow_create(owner=user, name="iris", graph=iris_graph())
    # given: what run_start commits, but the web process died before dispatching it
    plan = _compile(wf.current_version, seed=0, from_node=None, to_node=None)
    run = Run.objects.create(workflow=wf, version=wf.current_version, owner=user,
                             plan=plan.to_dict())
    NodeRun.objects.bulk_create(_node_runs(run, plan, use_cache=False))
    settings.DESIGNER_REQUEUE_AFTER_S = 0
    # when
    assert runs_reconcile() == {"dispatched": 1}
    # then
    assert wait_finished(run.pk).status == RunStatus.SUCCEEDED
    assert runs_reconcile() == {}  # nothing left to repair
