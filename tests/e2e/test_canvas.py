"""The canvas end to end, in real Chromium against the live server and a Celery worker: build a
workflow with the mouse, get refused a wrong-type link, set parameters (the column picker is
filled by server validation), run, watch nodes succeed over the WebSocket, read the table preview
and the chart, undo and redo, export to code."""

from __future__ import annotations

import re
from typing import Any

from live_server import LiveStack
from pages import api, connect, drop, new_page, no_page_errors, node, wait_status


def test_build_run_inspect_and_export(stack: LiveStack, browser: Any, shots: Any) -> None:
    page = new_page(browser, stack)
    # given: a new, empty workflow
    page.get_by_role("button", name="+ New workflow").click()
    page.wait_for_url(re.compile(r"/w/\d+/$"))
    workflow_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    page.locator(".empty-state").wait_for()
    page.locator(".palette-item").first.wait_for()
    shots(page, "01-empty")

    # when: two components are dragged from the palette and connected
    drop(page, "datasets.iris", 160, 140)
    drop(page, "evaluation.histogram", 520, 140)
    assert page.locator(".react-flow__node").count() == 2
    connect(page, "iris", "table", "histogram", "table")
    assert page.locator(".react-flow__edge").count() == 1

    # a wrong-type link is refused, and the canvas says why
    drop(page, "evaluation.predict", 520, 420)
    connect(page, "iris", "table", "predict", "model")
    toast = page.locator(".toast-error")
    toast.wait_for()
    assert "Type mismatch" in toast.inner_text() and "needs model" in toast.inner_text()
    assert page.locator(".react-flow__edge").count() == 1
    shots(page, "02-refused")

    # undo and redo: delete the extra node, undo brings it back with nothing else, redo removes it
    node(page, "predict").click()
    page.keyboard.press("Delete")
    assert page.locator(".react-flow__node").count() == 2
    page.keyboard.press("Control+z")
    node(page, "predict").wait_for()
    assert page.locator(".react-flow__node").count() == 3
    page.keyboard.press("Control+Shift+z")
    node(page, "predict").wait_for(state="detached")
    assert page.locator(".react-flow__edge").count() == 1

    # validation runs by itself: the histogram misses its column, pinned to the node and field
    node(page, "histogram").click()
    node(page, "histogram").locator(".cnode-problems").wait_for()
    column = page.locator('[data-param="column"] select')
    column.locator('option[value="sepal_length_cm"]').wait_for(state="attached")  # from the server
    # the server's message (the local one gives way to it)
    assert "required" in page.locator('[data-param="column"] .field-error').inner_text()
    column.select_option("sepal_length_cm")
    bins = page.locator('[data-param="bins"] input')
    bins.fill("600")
    page.locator('[data-param="bins"] .field-error').wait_for()  # bound checked as you type
    bins.fill("12")
    node(page, "histogram").locator(".cnode-problems").wait_for(state="detached")
    page.locator(".save-state", has_text="All changes saved").wait_for()
    shots(page, "03-parameters")

    # then: run it; both nodes turn succeeded, live over the WebSocket
    page.get_by_role("button", name="Run", exact=True).click()
    wait_status(page, "iris", "succeeded")
    wait_status(page, "histogram", "succeeded")
    run = api(stack, "GET", f"/api/workflows/{workflow_id}/runs/")["results"][0]
    assert run["status"] == "succeeded"
    shots(page, "04-succeeded")

    # the table preview with column statistics
    node(page, "iris").click()
    page.locator(".bp-tab", has_text="Outputs").click()
    preview = page.get_by_test_id("table-preview")
    preview.wait_for()
    assert "150" in page.locator(".out-meta").first.inner_text()
    assert preview.locator("thead th", has_text="petal_length_cm").count() == 1
    assert "μ 3.758" in preview.locator(".stats-row").inner_text()  # mean petal length
    assert preview.locator("tbody tr").count() == 50
    shots(page, "05-table-preview")

    # the chart, drawn from the Vega-Lite spec
    node(page, "histogram").click()
    page.get_by_test_id("chart").locator("svg").first.wait_for()
    assert page.get_by_test_id("chart").locator("svg .mark-rect path, svg .mark-rect").count() > 0
    shots(page, "06-chart")

    # the logs of a node, and the run in the history
    page.locator(".bp-tab", has_text="Logs").click()
    page.get_by_test_id("logs").wait_for()
    page.locator(".side-tabs button", has_text="Runs").click()
    page.get_by_test_id("run-history").locator(".badge-succeeded").first.wait_for()

    # export to code names both components; the parameter set above is in it
    page.get_by_role("button", name="Export to code").click()
    code = page.get_by_test_id("export-code")
    code.wait_for()
    text = code.inner_text()
    assert "datasets.iris" in text and "evaluation.histogram" in text and "sepal_length_cm" in text
    shots(page, "07-export")
    no_page_errors(page)
