"""Services called directly: versioning rules, cascade delete, event sequencing and
publish-after-commit, admin pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from server_graphs import small_graph

from designer.errors import GraphRejected, ServiceError
from designer.runs import dispatch
from designer.runs.events import EventType, NewEvent, run_events_append
from designer.runs.models import NodeRun, Run, RunEvent
from designer.runs.services import run_start
from designer.workflows.models import WorkflowVersion
from designer.workflows.services import (
    workflow_create,
    workflow_delete,
    workflow_import_code,
    workflow_update,
)

pytestmark = pytest.mark.django_db


def test_create_without_graph_stores_an_empty_version(user: Any) -> None:
    wf = workflow_create(owner=user, name="empty")
    assert wf.current_version is not None
    assert wf.current_version.graph == {"schema_version": 1, "nodes": [], "edges": []}


def test_versions_are_numbered_and_deduplicated_by_hash(user: Any) -> None:
    wf = workflow_create(owner=user, name="wf", graph=small_graph())
    first_hash = wf.current_version.content_hash  # type: ignore[union-attr]
    workflow_update(workflow=wf, user=user, graph=small_graph())
    assert wf.versions.count() == 1
    changed = small_graph()
    changed["nodes"][0]["position"] = {"x": 10, "y": 20}  # layout is part of the document
    workflow_update(workflow=wf, user=user, graph=changed)
    workflow_update(workflow=wf, user=user, graph=small_graph())  # back to v1's content
    numbers_hashes = list(wf.versions.order_by("number").values_list("number", "content_hash"))
    assert [n for n, _ in numbers_hashes] == [1, 2, 3]
    assert numbers_hashes[0][1] == numbers_hashes[2][1] == first_hash
    assert numbers_hashes[1][1] != first_hash


def test_rejected_graph_writes_nothing(user: Any) -> None:
    with pytest.raises(GraphRejected) as caught:
        workflow_create(owner=user, name="bad", graph={"nodes": [{"id": "x"}], "edges": []})
    assert caught.value.errors and caught.value.errors[0]["node"] == "x"
    assert not WorkflowVersion.objects.exists()


def test_delete_takes_versions_and_runs_along(user: Any) -> None:
    wf = workflow_create(owner=user, name="wf", graph=small_graph())
    run_start(workflow=wf, user=user)
    workflow_delete(workflow=wf)
    assert not Run.objects.exists() and not NodeRun.objects.exists()
    assert not WorkflowVersion.objects.exists()


def test_import_reports_the_line(user: Any) -> None:
    with pytest.raises(ServiceError) as caught:
        workflow_import_code(owner=user, name="x", source="x = 1\nimport os\n")
    assert caught.value.code == "import_error"
    assert caught.value.extra["line"] == 2


def test_events_get_consecutive_seqs_and_publish_after_commit(
    user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    wf = workflow_create(owner=user, name="wf", graph=small_graph())
    run = run_start(workflow=wf, user=user)
    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run_events_append(run_id=run.pk, events=[NewEvent(EventType.RUN_STARTED),
                                                 NewEvent(EventType.NODE_QUEUED, "iris",
                                                          {"queue": "cpu"})])
        run_events_append(run_id=run.pk, events=[NewEvent(EventType.NODE_STARTED, "iris",
                                                          {"attempt": 1})])
    # then
    assert list(RunEvent.objects.order_by("seq").values_list("seq", "type")) == [
        (1, "run.started"), (2, "node.queued"), (3, "node.started")]
    published = [c.args for c in callbacks if getattr(c, "func", None)
                 is dispatch.publish_run_events]
    assert [[m["seq"] for m in messages] for _, messages in published] == [[1, 2], [3]]
    assert published[0][1][1] == {"queue": "cpu", "type": "node.queued", "run": run.pk,
                                  "seq": 2, "ts": published[0][1][1]["ts"], "node": "iris"}
    assert Run.objects.get(pk=run.pk).last_seq == 3


def test_admin_pages_render(admin_client: Client, user: Any) -> None:
    wf = workflow_create(owner=user, name="wf", graph=small_graph())
    run = run_start(workflow=wf, user=user)
    for url in ("/admin/workflows/workflow/", f"/admin/workflows/workflow/{wf.pk}/change/",
                "/admin/workflows/workflowversion/", "/admin/runs/run/",
                f"/admin/runs/run/{run.pk}/change/", "/admin/runs/noderun/",
                "/admin/runs/runevent/"):
        assert admin_client.get(url).status_code == 200, url


def test_admin_lists_never_read_plans_or_graph_documents(admin_client: Client, user: Any
                                                         ) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    wf = workflow_create(owner=user, name="wf", graph=small_graph())
    run_start(workflow=wf, user=user)
    for url in ("/admin/workflows/workflow/", "/admin/workflows/workflowversion/",
                "/admin/runs/run/", "/admin/runs/noderun/", "/admin/runs/runevent/"):
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url).status_code == 200, url
        sql = " ".join(q["sql"] for q in queries.captured_queries)
        assert '"runs_run"."plan"' not in sql, url
        assert '"workflows_workflowversion"."graph"' not in sql, url
    # a change page still shows them
    version = wf.current_version
    page = admin_client.get(f"/admin/workflows/workflowversion/{version.pk}/change/")
    assert page.status_code == 200 and b"schema_version" in page.content
