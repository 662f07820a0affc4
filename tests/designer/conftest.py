"""Server tests: Django settings, the database (the real PostgreSQL on 127.0.0.1 when it answers,
else SQLite), users, API clients and graph documents.

Configures Django only when this folder is collected, so pure-core tests elsewhere keep running
without Django. ``DATABASE_URL`` wins when set; pytest-django creates ``test_<name>`` from it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

import pytest

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/designer"


def _postgres_answers() -> bool:
    try:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=2):
            return True
    except Exception:  # noqa: BLE001 - any failure means "use SQLite"
        return False


if "DATABASE_URL" not in os.environ and _postgres_answers():
    os.environ["DATABASE_URL"] = DEFAULT_POSTGRES
# Tests never touch the developer's var/: artifacts and SQLite files go to a scratch folder.
_scratch = tempfile.mkdtemp(prefix="designer-tests-")
atexit.register(shutil.rmtree, _scratch, ignore_errors=True)
os.environ["DESIGNER_HOME"] = _scratch
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from server_graphs import small_graph  # noqa: E402

User = get_user_model()


@pytest.fixture(scope="session", autouse=True)
def _release_event_writer(django_db_setup: None) -> Iterator[None]:
    """Nodes run in this process (inline mode) write their events from a thread with its own
    database session: closed before the test database is dropped."""
    yield
    from designer.runs.execution.node import EVENT_WRITER

    EVENT_WRITER.release()


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """PBKDF2 at full strength costs ~0.3 s per user; tests need no real hashing strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def user(db: None) -> Any:
    return User.objects.create_user(username="alice", password="alice-password-1")


@pytest.fixture
def other_user(db: None) -> Any:
    return User.objects.create_user(username="bob", password="bob-password-1")


def client_for(user: Any) -> APIClient:
    """An API client authenticated the way the SDK is: ``Authorization: Token <key>``."""
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def api(user: Any) -> APIClient:
    return client_for(user)


@pytest.fixture
def other_api(other_user: Any) -> APIClient:
    return client_for(other_user)


@pytest.fixture
def anon(db: None) -> APIClient:
    return APIClient()


@pytest.fixture
def make_workflow(api: APIClient) -> Callable[..., dict[str, Any]]:
    """Create a workflow through the API; returns the response body."""

    def make(name: str = "wf", graph_doc: dict[str, Any] | None = None,
             client: APIClient | None = None) -> dict[str, Any]:
        response = (client or api).post(
            "/api/workflows/", {"name": name, "graph": graph_doc or small_graph()}, format="json"
        )
        assert response.status_code == 201, response.json()
        return response.json()  # type: ignore[no-any-return]

    return make
