"""Workflow REST API: CRUD, immutable versions, bad graphs rejected whole, duplicate, validate,
export/import, and ownership (someone else's workflow is a 404)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient
from server_graphs import edge, graph, iris_graph, node, small_graph, unfinished_graph

from designer.dag.model import GraphSpec
from designer.workflows.documents import MAX_NODES
from designer.workflows.models import Workflow, WorkflowVersion

pytestmark = pytest.mark.django_db


def test_create_list_retrieve(api: APIClient, make_workflow: Any) -> None:
    # when
    created = make_workflow("first", small_graph())
    # then
    assert created["latest_version"] == 1
    assert created["content_hash"] == GraphSpec.from_json(small_graph()).content_hash()
    assert {n["id"] for n in created["graph"]["nodes"]} == {"iris", "select"}
    listing = api.get("/api/workflows/").json()
    assert listing["count"] == 1
    assert listing["results"][0]["latest_version"] == 1
    assert "updated_at" in listing["results"][0]
    assert "graph" not in listing["results"][0]
    detail = api.get(f"/api/workflows/{created['id']}/").json()
    assert detail["graph"] == created["graph"]


def test_save_adds_a_version_only_when_the_graph_changes(api: APIClient, make_workflow: Any
                                                         ) -> None:
    wf = make_workflow("wf", small_graph())
    url = f"/api/workflows/{wf['id']}/"

    # same graph, listed in another order, and a rename: no new version
    reordered = small_graph()
    reordered["nodes"].reverse()
    response = api.patch(url, {"graph": reordered, "name": "renamed"}, format="json")
    assert response.status_code == 200
    assert response.json()["latest_version"] == 1
    assert response.json()["name"] == "renamed"

    # a changed param: version 2, version 1 untouched
    changed = small_graph()
    changed["nodes"][1]["params"]["columns"] = ["target"]
    response = api.put(url, {"graph": changed, "message": "only target"}, format="json")
    assert response.json()["latest_version"] == 2
    versions = api.get(f"{url}versions/").json()["results"]
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[0]["message"] == "only target"
    assert versions[0]["created_by"] == "alice"
    v1 = api.get(f"{url}versions/1/").json()
    assert v1["graph"]["nodes"][1]["params"]["columns"] == ["sepal_length_cm", "target"]
    assert v1["content_hash"] != versions[0]["content_hash"]
    assert api.get(f"{url}versions/3/").status_code == 404


def test_a_save_reads_the_stored_graph_once_for_its_answer(api: APIClient, make_workflow: Any
                                                            ) -> None:
    # given: a saved graph (a document of ~0.5 KB a node, parsed on every read)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    wf = make_workflow("iris", iris_graph())
    # when: a changed graph is saved
    with CaptureQueriesContext(connection) as queries:
        response = api.patch(f"/api/workflows/{wf['id']}/", {"graph": small_graph()},
                             format="json")
    # then: the stored graph was read only for the response (which shows it)
    assert response.status_code == 200 and response.json()["latest_version"] == 2
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")
             and '"workflows_workflowversion"."graph"' in q["sql"]]
    assert len(reads) == 1, reads


def test_default_params_are_normalized_away(api: APIClient, make_workflow: Any) -> None:
    doc = graph([node("split", "preprocessing.train_test_split", test_size=0.25)])
    created = make_workflow("wf", doc)
    assert created["graph"]["nodes"][0]["params"] == {}


def test_unfinished_graph_still_saves(make_workflow: Any) -> None:
    created = make_workflow("drawing", unfinished_graph())
    assert len(created["graph"]["nodes"]) == 2


@pytest.mark.parametrize(
    ("doc", "code", "where"),
    [
        (graph([node("a", "datasets.nope")]), "unknown_component", "a"),
        (graph([node("s1", "preprocessing.select_columns"), node("s2",
                                                               "preprocessing.select_columns")],
               [edge("s1", "table", "s2", "table"), edge("s2", "table", "s1", "table")]),
         "cycle", "s1"),
        (graph([node("a", "datasets.iris"), node("a", "datasets.wine")]), "duplicate_node", "a"),
        (graph([node("split", "preprocessing.train_test_split", test_size=7)]),
         "invalid_param", "split"),
        (graph([node("iris", "datasets.iris")], [edge("iris", "table", "ghost", "table")]),
         "dangling_edge", None),
        ({"nodes": "not a list"}, "malformed", None),
    ],
)
def test_bad_graph_is_rejected_with_per_node_errors(
    api: APIClient, doc: dict[str, Any], code: str, where: str | None
) -> None:
    # when
    response = api.post("/api/workflows/", {"name": "bad", "graph": doc}, format="json")
    # then
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_graph"
    found = [e for e in body["errors"] if e["code"] == code]
    assert found, body
    if where is not None:
        assert found[0]["node"] == where
    assert not Workflow.objects.exists()
    assert not WorkflowVersion.objects.exists()


def test_bad_update_changes_nothing(api: APIClient, make_workflow: Any) -> None:
    wf = make_workflow("wf", small_graph())
    response = api.patch(
        f"/api/workflows/{wf['id']}/",
        {"name": "new name", "graph": graph([node("x", "datasets.nope")])},
        format="json",
    )
    assert response.status_code == 400
    stored = Workflow.objects.get(pk=wf["id"])
    assert stored.name == "wf"
    assert stored.versions.count() == 1


def test_malformed_json_body_is_a_json_400(api: APIClient) -> None:
    response = api.generic("POST", "/api/workflows/", '{"name": "x", "graph": {',
                           content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "malformed_json"


def test_graph_given_as_text_that_is_not_json(api: APIClient) -> None:
    response = api.post("/api/workflows/", {"name": "x", "graph": "{nope"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "malformed_json"


def test_oversize_graph_is_rejected(api: APIClient) -> None:
    doc = graph([node(f"n{i}", "datasets.iris") for i in range(MAX_NODES + 1)])
    response = api.post("/api/workflows/", {"name": "huge", "graph": doc}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "too_large"
    assert not Workflow.objects.exists()


def test_oversize_body_is_rejected(api: APIClient) -> None:
    doc = graph([node("iris", "datasets.iris")])
    doc["nodes"][0]["label"] = "x" * 100
    doc["padding"] = "y" * (3 * 1024 * 1024)
    response = api.post("/api/workflows/", {"name": "huge", "graph": doc}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "too_large"


def test_missing_name_is_a_field_error(api: APIClient) -> None:
    response = api.post("/api/workflows/", {"graph": small_graph()}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()["fields"]


def test_delete(api: APIClient, make_workflow: Any) -> None:
    wf = make_workflow()
    assert api.delete(f"/api/workflows/{wf['id']}/").status_code == 204
    assert api.get(f"/api/workflows/{wf['id']}/").status_code == 404
    assert not WorkflowVersion.objects.exists()


def test_duplicate(api: APIClient, make_workflow: Any) -> None:
    wf = make_workflow("orig", small_graph())
    response = api.post(f"/api/workflows/{wf['id']}/duplicate/", {}, format="json")
    assert response.status_code == 201
    copy = response.json()
    assert copy["id"] != wf["id"]
    assert copy["name"] == "orig (copy)"
    assert copy["latest_version"] == 1
    assert copy["content_hash"] == wf["content_hash"]


def test_duplicating_a_workflow_with_the_longest_name_shortens_the_copy_name(
    api: APIClient, make_workflow: Any
) -> None:
    wf = make_workflow("n" * 200, small_graph())  # found by the API fuzz test: was a 500
    # when
    response = api.post(f"/api/workflows/{wf['id']}/duplicate/", {}, format="json")
    # then
    assert response.status_code == 201, response.json()
    assert response.json()["name"] == "n" * 193 + " (copy)"


def test_validate_reports_problems_and_schemas(api: APIClient, make_workflow: Any) -> None:
    wf = make_workflow("drawing", unfinished_graph())
    # the stored (unfinished) version
    report = api.post(f"/api/workflows/{wf['id']}/validate/", {}, format="json").json()
    assert report["valid"] is False
    assert {(e["code"], e["node"], e["port"]) for e in report["errors"]} >= {
        ("missing_input", "split", "table")}
    assert "sepal_length_cm" in [c["name"] for c in report["schemas"]["iris"]["table"]]
    # a document sent with the request (the canvas's edit state): the stored one is not read
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        report = api.post(f"/api/workflows/{wf['id']}/validate/", {"graph": small_graph()},
                          format="json").json()
    assert report == {"valid": True, "errors": [], "schemas": report["schemas"]}
    assert not any('"workflows_workflowversion"."graph"' in q["sql"]
                   for q in queries.captured_queries)
    assert [c["name"] for c in report["schemas"]["select"]["table"]] == [
        "sepal_length_cm", "target"]


def test_validate_a_malformed_document(api: APIClient, make_workflow: Any) -> None:
    wf = make_workflow()
    report = api.post(f"/api/workflows/{wf['id']}/validate/", {"graph": [1, 2]},
                      format="json").json()
    assert report["valid"] is False
    assert report["errors"][0]["code"] == "malformed"


def test_export_then_import_round_trips(api: APIClient, make_workflow: Any) -> None:
    wf = make_workflow("Iris pipeline", iris_graph())
    # when
    response = api.get(f"/api/workflows/{wf['id']}/export/?format=python")
    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/x-python")
    code = response.content.decode()
    assert "Iris pipeline" in code and "with Pipeline() as pipeline:" in code
    imported = api.post("/api/workflows/import/", {"name": "back", "source": code},
                        format="json")
    assert imported.status_code == 201, imported.json()
    assert imported.json()["content_hash"] == wf["content_hash"]


def test_export_unknown_format(api: APIClient, make_workflow: Any) -> None:
    wf = make_workflow()
    response = api.get(f"/api/workflows/{wf['id']}/export/?format=yaml")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_format"


@pytest.mark.parametrize(
    ("source", "line"),
    [("import os\nos.system('echo hi')\n", 1), ("def broken(:\n", 1)],
)
def test_import_bad_code_is_a_400_with_the_line(api: APIClient, source: str, line: int) -> None:
    response = api.post("/api/workflows/import/", {"name": "x", "source": source}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_error"
    assert body["line"] == line
    assert not Workflow.objects.exists()


def test_someone_elses_workflow_is_404(other_api: APIClient, make_workflow: Any) -> None:
    wf = make_workflow("mine")
    base = f"/api/workflows/{wf['id']}/"
    assert other_api.get(base).status_code == 404
    assert other_api.patch(base, {"name": "theirs"}, format="json").status_code == 404
    assert other_api.delete(base).status_code == 404
    assert other_api.get(f"{base}versions/").status_code == 404
    assert other_api.get(f"{base}versions/1/").status_code == 404
    assert other_api.post(f"{base}duplicate/", {}, format="json").status_code == 404
    assert other_api.post(f"{base}validate/", {}, format="json").status_code == 404
    assert other_api.get(f"{base}export/").status_code == 404
    assert other_api.get("/api/workflows/").json()["count"] == 0
    assert Workflow.objects.get(pk=wf["id"]).name == "mine"


def test_huge_ids_are_404_not_500(api: APIClient) -> None:
    assert api.get(f"/api/workflows/{10**18}/").status_code == 404
    assert api.get(f"/api/workflows/{10**19}/").status_code == 404
    assert api.get(f"/api/workflows/{10**20}/runs/").status_code == 404


def test_request_body_over_the_limit_is_a_400(api: APIClient) -> None:
    body = '{"name": "x", "graph": {"nodes": [], "edges": [], "pad": "' + "z" * (5 << 20) + '"}}'
    response = api.generic("POST", "/api/workflows/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "too_large"


@pytest.mark.parametrize("pk", ["abc", "²", "-1", "0"])
def test_odd_ids_are_404(api: APIClient, pk: str) -> None:
    response = api.get(f"/api/workflows/{pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
