"""The browser app's pages (designer.web): behind the login, index.html with preload hints for the
canvas, a page saying how to build the front end when it is missing; the login page itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from designer.web import views


@pytest.fixture
def dist(tmp_path: Path, settings: Any) -> Path:
    (tmp_path / "index.html").write_text(
        '<!doctype html><html><head><script type="module" '
        'src="/static/app/assets/index-abc12345.js"></script></head>'
        '<body><div id="root"></div></body></html>')
    settings.DESIGNER_FRONTEND_DIST = tmp_path
    views._cache.clear()
    return tmp_path


@pytest.fixture
def browser(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_need_a_login_and_come_back_after_it(db: None, dist: Path, user: Any) -> None:
    client = Client()
    for path in ("/", "/w/7/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={path}"
    page = client.get("/accounts/login/?next=/w/7/")
    assert page.status_code == 200 and b'name="next" value="/w/7/"' in page.content
    signed_in = client.post("/accounts/login/", {"username": "alice",
                                                 "password": "alice-password-1", "next": "/w/7/"})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/w/7/"
    bad = Client().post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert bad.status_code == 200 and b'class="error"' in bad.content


def test_the_app_is_index_html_with_preloads_on_the_canvas_and_a_csrf_cookie(
        dist: Path, browser: Client) -> None:
    home = browser.get("/")
    assert home.status_code == 200 and home["Content-Type"].startswith("text/html")
    assert b'<div id="root">' in home.content and b"preload" not in home.content
    assert "no-cache" in home["Cache-Control"] or "max-age=0" in home["Cache-Control"]
    assert "csrftoken" in home.cookies  # the app sends it back on API writes
    canvas = browser.get("/w/42/")
    assert b'<link rel="preload" href="/api/workflows/42/" as="fetch" crossorigin="anonymous">' \
        in canvas.content
    assert b'href="/api/components/"' in canvas.content
    assert browser.get("/w/not-a-number/").status_code == 404


def test_a_missing_build_says_how_to_make_it(tmp_path: Path, settings: Any, browser: Client
                                              ) -> None:
    settings.DESIGNER_FRONTEND_DIST = tmp_path / "nothing-here"
    views._cache.clear()
    response = browser.get("/")
    assert response.status_code == 503
    assert b"npm run build" in response.content and b"npm ci" in response.content


def test_hashed_bundles_are_cached_for_good_but_not_other_files(settings: Any) -> None:
    import re

    immutable = re.compile(settings.WHITENOISE_IMMUTABLE_FILE_TEST)
    assert immutable.match("/static/app/assets/index-DYnPID-7.js")
    assert immutable.match("/static/app/assets/embed-Ayl9IbBd.js.map")
    assert not immutable.match("/static/app/index.html")
    assert not immutable.match("/static/app/favicon.svg")
