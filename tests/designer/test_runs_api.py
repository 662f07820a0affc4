"""Run REST API: start (and refusal of invalid graphs with no row left), history, detail,
cancel (409 once finished), retry, events since a seq, node logs, and ownership."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient
from server_graphs import iris_graph, small_graph, unfinished_graph

from designer.runs import dispatch
from designer.runs.events import EventType, run_event_append
from designer.runs.models import NodeRun, NodeStatus, Run, RunEvent, RunStatus
from designer.runs.services import run_finish

pytestmark = pytest.mark.django_db


def start(api: APIClient, workflow_id: int, **options: Any) -> Any:
    return api.post(f"/api/workflows/{workflow_id}/runs/", options, format="json")


def test_start_creates_the_run_and_its_nodes(
    api: APIClient, make_workflow: Any, django_capture_on_commit_callbacks: Any
) -> None:
    wf = make_workflow("iris", iris_graph())
    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = start(api, wf["id"], seed=7)
    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "queued"
    assert body["version"] == 1
    assert body["options"] == {"from_node": None, "to_node": None, "use_cache": True, "seed": 7}
    nodes = {n["node_id"]: n for n in body["nodes"]}
    assert len(nodes) == 8
    assert nodes["iris"]["status"] == "ready" and nodes["iris"]["remaining_parents"] == 0
    assert nodes["predict"]["status"] == "pending" and nodes["predict"]["remaining_parents"] == 2
    assert nodes["iris"]["queue"] == "cpu"
    assert len(nodes["iris"]["cache_key"]) == 64
    run = Run.objects.get(pk=body["id"])
    assert run.plan["seed"] == 7
    assert [s["step_id"] for s in run.plan["steps"]][0] == "iris"
    # dispatch is handed the run id after commit, and only then
    dispatches = [c for c in callbacks if getattr(c, "func", None) is dispatch.run_dispatch]
    assert [c.args for c in dispatches] == [(body["id"],)]


def test_partial_run_to_a_node(api: APIClient, make_workflow: Any) -> None:
    wf = make_workflow("iris", iris_graph())
    body = start(api, wf["id"], to_node="standard_scaler").json()
    assert {n["node_id"] for n in body["nodes"]} == {"iris", "train_test_split",
                                                     "standard_scaler"}


def test_use_cache_off_forces_every_node(api: APIClient, make_workflow: Any) -> None:
    wf = make_workflow("small", small_graph())
    body = start(api, wf["id"], use_cache=False).json()
    assert NodeRun.objects.filter(run_id=body["id"], force=False).count() == 0


def test_invalid_graph_cannot_start_and_leaves_no_run(api: APIClient, make_workflow: Any
                                                      ) -> None:
    wf = make_workflow("drawing", unfinished_graph())
    # when
    response = start(api, wf["id"])
    # then
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_graph"
    assert ("missing_input", "split", "table") in {(e["code"], e["node"], e["port"])
                                                   for e in body["errors"]}
    assert not Run.objects.exists()
    assert not NodeRun.objects.exists()


def test_unknown_from_node_is_a_400(api: APIClient, make_workflow: Any) -> None:
    wf = make_workflow("small", small_graph())
    response = start(api, wf["id"], from_node="ghost")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "unknown_node"
    assert not Run.objects.exists()


def test_bad_options_are_field_errors(api: APIClient, make_workflow: Any) -> None:
    wf = make_workflow("small", small_graph())
    response = start(api, wf["id"], seed=-1, from_node="no spaces allowed")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"seed", "from_node"}


def test_history_lists_newest_first(api: APIClient, make_workflow: Any) -> None:
    wf = make_workflow("small", small_graph())
    first = start(api, wf["id"]).json()["id"]
    second = start(api, wf["id"]).json()["id"]
    history = api.get(f"/api/workflows/{wf['id']}/runs/").json()
    assert [r["id"] for r in history["results"]] == [second, first]
    assert "nodes" not in history["results"][0]


def test_history_detail_and_snapshot_never_read_the_plan_or_the_graph(
    api: APIClient, make_workflow: Any
) -> None:
    # given: a run; its plan and its version's graph grow with the workflow (~0.5 KB a node)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from designer.realtime.selectors import run_snapshot_for_user

    wf = make_workflow("iris", iris_graph())
    run_id = start(api, wf["id"]).json()["id"]
    run = Run.objects.get(pk=run_id)
    # when: the history, the detail and the websocket's snapshot are read
    with CaptureQueriesContext(connection) as queries:
        assert api.get(f"/api/workflows/{wf['id']}/runs/").status_code == 200
        assert api.get(f"/api/runs/{run_id}/").status_code == 200
        run_snapshot_for_user(user=run.owner, run_id=run_id)
    # then: neither heavy column was selected
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert '"runs_run"."plan"' not in sql and '"workflows_workflowversion"."graph"' not in sql


def test_cancel_a_queued_run_then_cancel_again_is_409(api: APIClient, make_workflow: Any
                                                      ) -> None:
    wf = make_workflow("small", small_graph())
    run_id = start(api, wf["id"]).json()["id"]
    # when
    response = api.post(f"/api/runs/{run_id}/cancel/")
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "cancelled"
    assert body["cancel_requested"] is True
    assert {n["status"] for n in body["nodes"]} == {"cancelled"}
    again = api.post(f"/api/runs/{run_id}/cancel/")
    assert again.status_code == 409
    assert again.json()["code"] == "run_finished"
    assert "already finished" in again.json()["detail"]


def test_cancel_with_a_running_node_waits_for_the_worker(api: APIClient, make_workflow: Any
                                                         ) -> None:
    wf = make_workflow("small", small_graph())
    run_id = start(api, wf["id"]).json()["id"]
    Run.objects.filter(pk=run_id).update(status=RunStatus.RUNNING)
    NodeRun.objects.filter(run_id=run_id, node_id="iris").update(status=NodeStatus.RUNNING)
    # when
    body = api.post(f"/api/runs/{run_id}/cancel/").json()
    # then: still running until the worker notices; the waiting node is cancelled now
    assert body["status"] == "running" and body["cancel_requested"] is True
    assert {n["node_id"]: n["status"] for n in body["nodes"]} == {"iris": "running",
                                                                 "select": "cancelled"}


def test_cancel_a_succeeded_run_is_409(api: APIClient, make_workflow: Any) -> None:
    wf = make_workflow("small", small_graph())
    run_id = start(api, wf["id"]).json()["id"]
    assert run_finish(run_id=run_id, status=RunStatus.SUCCEEDED)
    assert not run_finish(run_id=run_id, status=RunStatus.FAILED)  # idempotent: first one wins
    response = api.post(f"/api/runs/{run_id}/cancel/")
    assert response.status_code == 409
    assert Run.objects.get(pk=run_id).status == RunStatus.SUCCEEDED


def test_events_are_ordered_and_paged_by_seq(api: APIClient, make_workflow: Any) -> None:
    wf = make_workflow("small", small_graph())
    run_id = start(api, wf["id"]).json()["id"]
    api.post(f"/api/runs/{run_id}/cancel/")
    # when
    everything = api.get(f"/api/runs/{run_id}/events/").json()
    # then
    events = everything["events"]
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert everything["last_seq"] == len(events)
    assert [e["type"] for e in events] == ["node.cancelled", "node.cancelled", "run.finished"]
    assert events[-1]["status"] == "cancelled" and events[-1]["run"] == run_id
    assert {e["node"] for e in events[:2]} == {"iris", "select"}
    later = api.get(f"/api/runs/{run_id}/events/?after=2").json()["events"]
    assert [e["seq"] for e in later] == [3]
    assert api.get(f"/api/runs/{run_id}/events/?after=-1").status_code == 400


def test_node_logs(api: APIClient, make_workflow: Any) -> None:
    wf = make_workflow("small", small_graph())
    run_id = start(api, wf["id"]).json()["id"]
    run_event_append(run_id=run_id, type=EventType.NODE_LOG, node_id="select",
                     payload={"level": "info", "message": "kept 2 of 5 column(s)"})
    run_event_append(run_id=run_id, type=EventType.NODE_LOG, node_id="iris",
                     payload={"level": "info", "message": "not this node"})
    NodeRun.objects.filter(run_id=run_id, node_id="select").update(
        status=NodeStatus.FAILED, error="boom", traceback="Traceback ...")
    # when
    body = api.get(f"/api/runs/{run_id}/nodes/select/logs/").json()
    # then
    assert [line["message"] for line in body["lines"]] == ["kept 2 of 5 column(s)"]
    assert body["error"] == "boom" and body["status"] == "failed"
    assert api.get(f"/api/runs/{run_id}/nodes/ghost/logs/").status_code == 404


def test_event_payload_cannot_override_the_envelope(db: None, api: APIClient,
                                                    make_workflow: Any) -> None:
    wf = make_workflow("small", small_graph())
    run_id = start(api, wf["id"]).json()["id"]
    with pytest.raises(ValueError, match="envelope"):
        run_event_append(run_id=run_id, type=EventType.NODE_LOG, payload={"seq": 99})
    assert not RunEvent.objects.exists()


def test_retry_starts_a_new_run_of_the_same_version(api: APIClient, make_workflow: Any) -> None:
    wf = make_workflow("iris", iris_graph())
    first = start(api, wf["id"], to_node="predict", seed=3).json()
    api.patch(f"/api/workflows/{wf['id']}/", {"graph": small_graph()}, format="json")  # v2
    # when
    response = api.post(f"/api/runs/{first['id']}/retry/")
    # then
    assert response.status_code == 201
    retry = response.json()
    assert retry["id"] != first["id"]
    assert retry["version"] == 1
    assert retry["options"] == {**first["options"], "use_cache": True}
    assert len(retry["nodes"]) == len(first["nodes"])


def test_someone_elses_runs_are_404(api: APIClient, other_api: APIClient, make_workflow: Any
                                    ) -> None:
    wf = make_workflow("small", small_graph())
    run_id = start(api, wf["id"]).json()["id"]
    for url in (f"/api/runs/{run_id}/", f"/api/runs/{run_id}/events/",
                f"/api/runs/{run_id}/nodes/iris/logs/",
                f"/api/runs/{run_id}/nodes/iris/outputs/table/",
                f"/api/runs/{run_id}/nodes/iris/outputs/table/download/",
                f"/api/workflows/{wf['id']}/runs/"):
        assert other_api.get(url).status_code == 404, url
    assert other_api.post(f"/api/runs/{run_id}/cancel/").status_code == 404
    assert other_api.post(f"/api/runs/{run_id}/retry/").status_code == 404
    assert start(other_api, wf["id"]).status_code == 404
    assert Run.objects.count() == 1
    assert Run.objects.get().cancel_requested_at is None
