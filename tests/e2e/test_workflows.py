"""The workflow list end to end: templates, rename, duplicate, delete, import a .py file; past
versions opened read-only and restored; a finished sample run with its chart (the README's
picture)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from live_server import ARTIFACTS, LiveStack
from pages import api, new_page, no_page_errors, node, wait_status


def test_list_templates_rename_duplicate_delete_import(stack: LiveStack, browser: Any, shots: Any,
                                                       tmp_path: Path) -> None:
    page = new_page(browser, stack)
    assert page.locator(".template-card").count() >= 5
    shots(page, "01-list", full_page=True)

    # a template becomes a new workflow and opens on the canvas
    page.locator('.template-card[data-sample="iris_logistic_regression"]').click()
    page.wait_for_url(re.compile(r"/w/\d+/$"))
    page.locator(".react-flow__node").nth(7).wait_for()
    created = int(page.url.rstrip("/").rsplit("/", 1)[1])
    page.locator("a.brand").click()
    row = page.locator(f'.wf-row[data-workflow="{created}"]')

    # rename in place
    row.get_by_role("button", name="Rename").click()
    row.locator("input.name-input").fill("Irises, renamed")
    row.locator("input.name-input").press("Enter")
    row.locator(".wf-title", has_text="Irises, renamed").wait_for()
    assert api(stack, "GET", f"/api/workflows/{created}/")["name"] == "Irises, renamed"

    # duplicate, then delete the copy (after confirming)
    row.get_by_role("button", name="Duplicate").click()
    copy = page.locator(".wf-row", has_text="Irises, renamed (copy)")
    copy.wait_for()
    copy.get_by_role("button", name=re.compile("^Delete")).click()
    copy.get_by_role("button", name="Delete", exact=True).click()
    copy.wait_for(state="detached")

    # import a .py file (the export of the renamed workflow) into a new workflow
    source = api(stack, "GET", f"/api/workflows/{created}/export/?format=python")
    path = tmp_path / "iris_again.py"
    path.write_text(source)
    page.get_by_test_id("import-file").set_input_files(str(path))
    page.wait_for_url(re.compile(r"/w/\d+/$"))
    page.locator(".react-flow__node").nth(7).wait_for()
    assert page.locator(".wf-name .name").inner_text() == "iris again"
    no_page_errors(page)


def test_versions_read_only_and_restore(stack: LiveStack, browser: Any, shots: Any) -> None:
    page = new_page(browser, stack)
    page.locator('.template-card[data-sample="diabetes_ridge_regression"]').click()
    page.wait_for_url(re.compile(r"/w/\d+/$"))
    workflow_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    page.locator(".react-flow__node").nth(4).wait_for()
    page.locator(".save-state", has_text="v1").wait_for()

    # an edit is autosaved as version 2
    page.locator(".react-flow__node").first.click()
    page.locator(".insp-section input[id^=label-]").fill("My data")
    page.locator(".save-state", has_text="v2").wait_for()

    # version 1 opens read-only: no label, nothing editable
    page.locator(".side-tabs button", has_text="Versions").click()
    page.get_by_test_id("versions").locator(".hl-main", has_text="Version 1").click()
    page.locator(".readonly-banner").wait_for()
    assert page.locator(".cnode-title", has_text="My data").count() == 0
    page.locator(".react-flow__node").first.click()
    page.locator(".side-tabs button", has_text="Inspector").click()
    assert page.locator(".insp-section input[id^=label-]").is_disabled()
    shots(page, "01-read-only")

    # restoring it makes version 3 with version 1's graph
    page.get_by_role("button", name="Restore this version").click()
    page.locator(".readonly-banner").wait_for(state="detached")
    page.locator(".save-state", has_text="v3").wait_for()
    graph = api(stack, "GET", f"/api/workflows/{workflow_id}/")["graph"]
    assert all(not n.get("label") for n in graph["nodes"])
    no_page_errors(page)


def test_a_finished_sample_run_with_its_chart(stack: LiveStack, browser: Any, shots: Any) -> None:
    page = new_page(browser, stack)
    page.locator('.template-card[data-sample="breast_cancer_random_forest"]').click()
    page.wait_for_url(re.compile(r"/w/\d+/$"))
    page.locator(".react-flow__node").nth(6).wait_for()
    page.get_by_role("button", name="Run", exact=True).click()
    for node_id in ("breast_cancer", "random_forest_classifier", "roc_curve", "feature_importance"):
        wait_status(page, node_id, "succeeded")
    page.set_viewport_size({"width": 1600, "height": 1000})
    node(page, "roc_curve").click()
    page.locator(".bp-tab", has_text="Outputs").click()
    page.get_by_test_id("chart").locator("svg").first.wait_for()
    page.locator(".toast button[aria-label=Dismiss]").click()
    page.get_by_role("button", name="Fit", exact=True).click()
    page.wait_for_timeout(500)
    shots(page, "01-finished-run")  # the README's picture (docs/canvas.png)
    assert (ARTIFACTS / "a_finished_sample_run_with_its_chart-01-finished-run.png").is_file()
    no_page_errors(page)
