"""The component catalogue (cached, with an ETag) and sample workflows."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from designer.samples import list_samples, load_sample

pytestmark = pytest.mark.django_db


def test_components_catalogue(api: APIClient) -> None:
    response = api.get("/api/components/")
    assert response.status_code == 200
    catalogue = response.json()
    ids = {c["id"] for c in catalogue["components"]}
    assert {"datasets.iris", "preprocessing.train_test_split", "evaluation.predict"} <= ids
    assert "table" in catalogue["connectable"]["table"]
    # unchanged -> 304 with the same ETag
    again = api.get("/api/components/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_samples_list_and_instantiate(api: APIClient) -> None:
    samples = api.get("/api/samples/").json()
    assert [s["name"] for s in samples] == list_samples()
    name = samples[0]["name"]
    title, _, graph = load_sample(name)
    # when
    response = api.post(f"/api/samples/{name}/instantiate/", {}, format="json")
    # then
    assert response.status_code == 201
    workflow = response.json()
    assert workflow["name"] == title
    assert len(workflow["graph"]["nodes"]) == len(graph.nodes)
    named = api.post(f"/api/samples/{name}/instantiate/", {"name": "mine"}, format="json")
    assert named.json()["name"] == "mine"


def test_every_sample_is_runnable(api: APIClient) -> None:
    for name in list_samples():
        wf: dict[str, Any] = api.post(f"/api/samples/{name}/instantiate/", {},
                                      format="json").json()
        response = api.post(f"/api/workflows/{wf['id']}/runs/", {}, format="json")
        assert response.status_code == 201, (name, response.json())


def test_unknown_sample_is_404(api: APIClient) -> None:
    response = api.post("/api/samples/nope/instantiate/", {}, format="json")
    assert response.status_code == 404
    assert "GET /api/samples/" in response.json()["detail"]
