"""``Pipeline.submit`` and ``designer submit`` against a live server (the dev server as
``./dev up`` starts it: a Celery worker on a private Redis when redis-server is installed, else
inline): the run really executes and its metrics equal those of the same pipeline run locally."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from live_stack import ROOT, LiveStack, start_stack

from designer.sdk import Pipeline
from designer.sdk.components import datasets, evaluation, preprocessing, training
from designer.sdk.remote import Client, RemoteError, RemoteRun

pytestmark = pytest.mark.slow
TIMEOUT = 120


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    live = start_stack(tmp_path_factory.mktemp("sdk") / "home", "--skip-collectstatic")
    yield live
    live.stop()


def iris_pipeline(C: float = 0.5) -> Pipeline:
    with Pipeline() as p:
        iris = datasets.iris()
        split = preprocessing.train_test_split(iris.table, stratify_column="target")
        model = training.logistic_regression(split.train, target="target", C=C)
        scored = evaluation.predict(model.model, split.test)
        evaluation.classification_metrics(scored.table)
    return p


def test_submit_runs_on_the_server_with_the_local_metrics(stack: LiveStack,
                                                          tmp_path: Path) -> None:
    p = iris_pipeline()
    events: list[dict[str, Any]] = []
    run = p.submit(stack.url, stack.token, name="sdk submit", on_event=events.append,
                   timeout=TIMEOUT)

    assert isinstance(run, RemoteRun) and run.succeeded, (run.error, stack.output()[-3000:])
    assert run.nodes == dict.fromkeys(
        ["iris", "train_test_split", "logistic_regression", "predict", "classification_metrics"],
        "succeeded")
    seqs = [e["seq"] for e in events]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert events[-1]["type"] == "run.finished" and events[-1]["status"] == "succeeded"
    assert {e["node"] for e in events if e["type"] == "node.succeeded"} == set(run.nodes)

    local = p.run(store=tmp_path / "store", seed=0)
    expected = local.metrics("classification_metrics")
    assert run.metrics("classification_metrics") == expected
    assert {"accuracy", "f1"} <= set(expected)


def test_submitting_again_updates_the_same_workflow_and_reuses_the_cache(
    stack: LiveStack,
) -> None:
    first = iris_pipeline(C=2.0).submit(stack.url, stack.token, name="sdk resubmit",
                                        on_event=lambda e: None, timeout=TIMEOUT)
    again = iris_pipeline(C=2.0).submit(stack.url, stack.token, name="sdk resubmit",
                                        on_event=lambda e: None, timeout=TIMEOUT)
    assert again.workflow_id == first.workflow_id and again.id != first.id
    assert set(again.nodes.values()) == {"cached"}, again.nodes
    assert again.metrics("classification_metrics") == first.metrics("classification_metrics")
    client = Client(stack.url, stack.token)
    versions = client.request("GET", f"/api/workflows/{first.workflow_id}/versions/")
    assert versions["count"] == 1  # the same graph adds no version

    changed = iris_pipeline(C=3.0).submit(stack.url, stack.token, workflow_id=first.workflow_id,
                                          to_node="logistic_regression", follow=False)
    changed.wait(timeout=TIMEOUT)
    assert changed.workflow_id == first.workflow_id and changed.succeeded
    assert set(changed.nodes) == {"iris", "train_test_split", "logistic_regression"}
    assert changed.nodes["logistic_regression"] == "succeeded"  # new params: executed again
    assert client.request("GET", f"/api/workflows/{first.workflow_id}/versions/")["count"] == 2


def test_an_invalid_graph_is_refused_with_per_node_problems(stack: LiveStack) -> None:
    with Pipeline() as p:
        split = preprocessing.train_test_split(datasets.iris().table)
        training.logistic_regression(split.train, target="no_such_column")
    client = Client(stack.url, stack.token)
    before = client.request("GET", "/api/workflows/")["count"]
    with pytest.raises(RemoteError) as refused:
        p.submit(stack.url, stack.token, name="sdk invalid")
    assert refused.value.status == 400 and refused.value.code == "invalid_graph"
    assert [(e["node"], e["param"]) for e in refused.value.errors] == [
        ("logistic_regression", "target")]
    assert "node logistic_regression param target: column 'no_such_column'" in str(refused.value)
    # The graph is saved (like an unfinished canvas); no run was left behind.
    workflow = next(w for w in client.request("GET", "/api/workflows/")["results"]
                    if w["name"] == "sdk invalid")
    assert client.request("GET", "/api/workflows/")["count"] == before + 1
    assert client.request("GET", f"/api/workflows/{workflow['id']}/runs/")["count"] == 0


def test_a_wrong_token_is_a_clear_401(stack: LiveStack) -> None:
    with pytest.raises(RemoteError, match="401.*Check the token") as refused:
        iris_pipeline().submit(stack.url, "not-a-token")
    assert refused.value.status == 401


def test_cli_submit_prints_the_same_metrics(stack: LiveStack, tmp_path: Path) -> None:
    graph = tmp_path / "graph.json"
    graph.write_text(json.dumps(iris_pipeline().graph().to_dict()))
    done = subprocess.run(
        [sys.executable, "-m", "designer.dag", "submit", str(graph), "--url", stack.url,
         "--token", stack.token, "--name", "cli submit", "--json"],
        check=False, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT,
    )
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout)
    assert outcome["status"] == "succeeded"
    local = iris_pipeline().run(store=tmp_path / "store").metrics("classification_metrics")
    assert outcome["metrics"]["classification_metrics"]["metrics"] == local

    bad = subprocess.run(
        [sys.executable, "-m", "designer.dag", "submit", str(graph), "--url", stack.url,
         "--token", "wrong"],
        check=False, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT,
    )
    assert bad.returncode == 2 and "401" in bad.stderr
