"""Browser tests: headless Chromium (``/usr/bin/chromium``) driven by Playwright against a live
Designer started the way ``./dev up`` starts it (``python -m designer.devserver``: daphne, a
Celery worker and beat) on PostgreSQL (database ``designer_e2e``, created afresh) and Redis
(db 10), both on 127.0.0.1 as on CI. Without them the dev server picks its own mode.

Each test gets its own ``sync_playwright()`` (no pytest-playwright plugin; ENVIRONMENT.md). The
tests skip only when Chromium is missing on a developer's machine; on CI (``CI`` set) that is a
failure, because ``.ci/run`` installs it. Screenshots go to ``test-artifacts/e2e/``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from live_server import ARTIFACTS, ROOT, LiveStack, start
from pages import OPEN_PAGES

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LAUNCH_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]
E2E_DB = "designer_e2e"
E2E_REDIS = "redis://127.0.0.1:6379/10"


def _chromium_or_skip() -> None:
    if Path(CHROMIUM).is_file():
        return
    message = (f"{CHROMIUM} is missing: install it with `apt-get install -y chromium "
               "chromium-driver` (test tools cannot download browsers here)")
    if os.environ.get("CI"):
        pytest.fail(f"browser tests must run on CI: {message}")
    pytest.skip(message)


def _fresh_postgres() -> str | None:
    """``DATABASE_URL`` of an emptied ``designer_e2e`` database, or None without PostgreSQL."""
    try:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True,
                             connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {E2E_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {E2E_DB}")
    except Exception:  # noqa: BLE001 - no PostgreSQL: the dev server's SQLite default
        if os.environ.get("CI"):
            raise
        return None
    return f"postgres://postgres@127.0.0.1:5432/{E2E_DB}"


def _redis_flushed(url: str) -> bool:
    """Whether the Redis at ``url`` answers (then its db is emptied for this session)."""
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        client.flushdb()
        return True
    except Exception:  # noqa: BLE001 - no Redis: the dev server starts its own or runs inline
        if os.environ.get("CI"):
            raise
        return False


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    """The live server with a real Celery worker, and user ``admin`` with the sample workflows."""
    _chromium_or_skip()
    if not (ROOT / "frontend" / "dist" / "index.html").is_file():
        pytest.fail("frontend/dist is missing: run `cd frontend && npm ci && npm run build` "
                    "(.ci/run and ./dev setup do)")
    extra: dict[str, str] = {}
    database = _fresh_postgres()
    if database:
        extra["DATABASE_URL"] = database
    if _redis_flushed(E2E_REDIS):
        extra["REDIS_URL"] = E2E_REDIS
    live = start(tmp_path_factory.mktemp("e2e") / "home", **extra)
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture
def browser() -> Iterator[Any]:
    """A fresh Chromium per test, inside its own ``sync_playwright()``."""
    _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_FLAGS)
        try:
            yield chromium
        finally:
            OPEN_PAGES.clear()
            chromium.close()


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Any:
    """``shots(page, "name")`` saves ``test-artifacts/e2e/<test>-<name>.png``."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    prefix = request.node.name.removeprefix("test_")

    def save(page: Any, name: str, **kwargs: Any) -> Path:
        path = ARTIFACTS / f"{prefix}-{name}.png"
        page.screenshot(path=str(path), **kwargs)
        return path

    return save


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.slow)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """On a failure, a screenshot of each open page: ``test-artifacts/e2e/<test>-failure-N.png``."""
    report = yield
    if report.when == "call" and report.failed and OPEN_PAGES:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for i, page in enumerate(OPEN_PAGES):
            try:
                name = f"{item.name.removeprefix('test_')}-failure-{i}.png"
                page.screenshot(path=str(ARTIFACTS / name))
            except Exception:  # noqa: BLE001 - a closed page: nothing to show
                pass
    return report
