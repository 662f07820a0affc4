"""Helpers that drive the Designer UI like a person: sign in, drag from the palette, connect ports
with the mouse, wait for node states. Selectors are the app's own classes and data attributes."""

from __future__ import annotations

import json
from typing import Any
from urllib.request import Request, urlopen

from live_server import ADMIN_PASSWORD, ADMIN_USER, LiveStack

TIMEOUT_MS = 30_000
OPEN_PAGES: list[Any] = []  # screenshotted by conftest when a test fails


def new_page(browser: Any, stack: LiveStack) -> Any:
    """A signed-in page on the workflow list; page errors fail the test at the end."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    OPEN_PAGES.append(page)
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(f"{stack.url}/w/1/")  # a protected page: the login form, then back here
    assert "/accounts/login/" in page.url
    page.fill("#id_username", ADMIN_USER)
    page.fill("#id_password", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{stack.url}/w/1/")
    page.goto(f"{stack.url}/")
    page.locator(".wf-row").first.wait_for()
    return page


def api(stack: LiveStack, method: str, path: str, body: Any = None) -> Any:
    """A REST call with the admin's token (for checks and set-up, not for what the UI does)."""
    data = None if body is None else json.dumps(body).encode()
    request = Request(stack.url + path, data=data, method=method, headers={
        "Authorization": f"Token {stack.token}", "Content-Type": "application/json"})
    with urlopen(request, timeout=30) as response:
        raw = response.read()
    return json.loads(raw) if raw and response.headers.get_content_type() == "application/json" \
        else raw.decode()


def node(page: Any, node_id: str) -> Any:
    return page.locator(f'.react-flow__node[data-id="{node_id}"]')


def drop(page: Any, component: str, x: float, y: float) -> None:
    """Drag a palette item onto the canvas with the mouse, to (x, y) within the pane."""
    page.locator(f'.palette-item[data-component="{component}"]').drag_to(
        page.locator(".react-flow__pane"), target_position={"x": x, "y": y})


def connect(page: Any, source: str, source_port: str, target: str, target_port: str) -> None:
    """Press on an output handle, move to an input handle, release."""
    def centre(kind: str, node_id: str, port: str) -> tuple[float, float]:
        box = page.locator(f'.react-flow__handle.{kind}[data-nodeid="{node_id}"]'
                           f'[data-handleid="{port}"]').bounding_box()
        assert box, f"no {kind} handle {node_id}.{port} on screen"
        return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    x1, y1 = centre("source", source, source_port)
    x2, y2 = centre("target", target, target_port)
    page.mouse.move(x1, y1)
    page.mouse.down()
    page.mouse.move(x2, y2, steps=12)
    page.mouse.up()


def wait_status(page: Any, node_id: str, status: str, timeout_ms: int = 60_000) -> None:
    node(page, node_id).locator(f".badge-{status}").wait_for(timeout=timeout_ms)


def no_page_errors(page: Any) -> None:
    assert not page.errors, page.errors
