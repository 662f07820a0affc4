"""Authentication: tokens for the SDK, sessions for the browser, no anonymous access, the login
page, and the first-run bootstrap command."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from designer.samples import list_samples
from designer.workflows.models import Workflow

pytestmark = pytest.mark.django_db

PROTECTED = [
    ("get", "/api/me/"),
    ("get", "/api/components/"),
    ("get", "/api/samples/"),
    ("get", "/api/workflows/"),
    ("post", "/api/workflows/"),
    ("get", "/api/workflows/1/"),
    ("post", "/api/workflows/1/validate/"),
    ("get", "/api/workflows/1/export/"),
    ("post", "/api/workflows/import/"),
    ("get", "/api/workflows/1/runs/"),
    ("post", "/api/workflows/1/runs/"),
    ("get", "/api/runs/1/"),
    ("post", "/api/runs/1/cancel/"),
    ("get", "/api/runs/1/events/"),
    ("get", "/api/runs/1/nodes/a/logs/"),
    ("get", "/api/runs/1/nodes/a/outputs/table/"),
    ("post", "/api/samples/iris_logistic_regression/instantiate/"),
]


@pytest.mark.parametrize(("method", "url"), PROTECTED)
def test_anonymous_requests_are_refused(anon: APIClient, method: str, url: str) -> None:
    response = getattr(anon, method)(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"


def test_token_exchange_and_token_auth(anon: APIClient, user: Any) -> None:
    # when
    response = anon.post("/api/auth/token/",
                         {"username": "alice", "password": "alice-password-1"}, format="json")
    # then
    assert response.status_code == 200
    token = response.json()["token"]
    anon.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = anon.get("/api/me/").json()
    assert me["username"] == "alice" and me["id"] == user.pk
    # the same token every time
    again = APIClient().post("/api/auth/token/",
                             {"username": "alice", "password": "alice-password-1"}, format="json")
    assert again.json()["token"] == token


def test_wrong_password_and_bad_token(anon: APIClient, user: Any) -> None:
    response = anon.post("/api/auth/token/", {"username": "alice", "password": "nope"},
                         format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"
    anon.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    assert anon.get("/api/me/").status_code == 401


def test_browser_login_gives_a_session_for_the_api(user: Any) -> None:
    browser = Client()
    page = browser.get("/accounts/login/")
    assert page.status_code == 200 and b"Sign in" in page.content
    response = browser.post("/accounts/login/",
                            {"username": "alice", "password": "alice-password-1"})
    assert response.status_code == 302
    assert browser.get("/api/me/").json()["username"] == "alice"


def test_session_writes_need_csrf(user: Any) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    response = browser.post("/api/workflows/", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_bootstrap_creates_the_admin_and_samples_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESIGNER_ADMIN_USER", "admin")
    monkeypatch.setenv("DESIGNER_ADMIN_PASSWORD", "admin-password-1")
    out = StringIO()
    # when
    call_command("designer_bootstrap", stdout=out)
    call_command("designer_bootstrap", stdout=out)
    # then
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert Workflow.objects.filter(owner=admin).count() == len(list_samples())
    assert "exists" in out.getvalue()


def test_bootstrap_without_a_user_says_how(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DESIGNER_ADMIN_USER", raising=False)
    monkeypatch.delenv("DESIGNER_ADMIN_PASSWORD", raising=False)
    out = StringIO()
    call_command("designer_bootstrap", stdout=out)
    assert "createsuperuser" in out.getvalue()
    assert not Workflow.objects.exists()
