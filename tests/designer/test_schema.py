"""The OpenAPI schema is served, valid OpenAPI 3, and covers the contract's endpoints."""

from __future__ import annotations

import json

import pytest
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_schema_is_served_and_valid(anon: APIClient) -> None:
    response = anon.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate_schema(schema)  # raises on an invalid OpenAPI document
    paths = set(schema["paths"])
    assert {
        "/api/components/", "/api/workflows/", "/api/workflows/{id}/",
        "/api/workflows/{id}/versions/", "/api/workflows/{id}/versions/{number}/",
        "/api/workflows/{id}/validate/", "/api/workflows/{id}/duplicate/",
        "/api/workflows/{id}/export/", "/api/workflows/import/",
        "/api/workflows/{workflow_id}/runs/", "/api/runs/{run_id}/",
        "/api/runs/{run_id}/cancel/", "/api/runs/{run_id}/events/",
        "/api/runs/{run_id}/nodes/{node_id}/logs/",
        "/api/runs/{run_id}/nodes/{node_id}/outputs/{port}/",
        "/api/runs/{run_id}/nodes/{node_id}/outputs/{port}/download/",
        "/api/samples/", "/api/samples/{name}/instantiate/", "/api/auth/token/", "/api/me/",
    } <= paths
    assert "409" in schema["paths"]["/api/runs/{run_id}/cancel/"]["post"]["responses"]


def test_docs_page(anon: APIClient) -> None:
    response = anon.get("/api/docs/")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


def test_unknown_api_path_is_json_404(api: APIClient) -> None:
    response = api.get("/api/nothing-here/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
