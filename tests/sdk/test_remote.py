"""The SDK's server client without a server: the default event printer and the client's checks
before any request (the live round trips are in tests/designer/test_sdk_submit.py)."""

from __future__ import annotations

import io

import pytest

from designer.sdk.remote import DEFAULT_URL, Client, RemoteError, print_events


def test_print_events_shows_results_logs_and_the_end_not_progress() -> None:
    out = io.StringIO()
    on_event = print_events(out)
    for event in [
        {"type": "run.started", "run": 7, "seq": 1},
        {"type": "node.queued", "run": 7, "seq": 2, "node": "iris", "queue": "cpu"},
        {"type": "node.progress", "run": 7, "seq": 3, "node": "iris", "value": 1, "max": 2},
        {"type": "node.log", "run": 7, "seq": 4, "node": "iris", "message": "150 rows"},
        {"type": "node.succeeded", "run": 7, "seq": 5, "node": "iris",
         "component": "datasets.iris", "duration_s": 0.25},
        {"type": "node.failed", "run": 7, "seq": 6, "node": "fit",
         "component": "training.logistic_regression", "error": "ValueError: bad"},
        {"type": "node.skipped", "run": 7, "seq": 7, "node": "predict", "reason": "fit failed"},
        {"type": "run.finished", "run": 7, "seq": 8, "status": "failed", "error": "1 node failed"},
    ]:
        on_event(event)
    assert out.getvalue().splitlines() == [
        "  iris | 150 rows",
        "succeeded  iris (datasets.iris)  0.25s",
        "failed     fit (training.logistic_regression): ValueError: bad",
        "skipped    predict (-): fit failed",
        "run 7 failed: 1 node failed",
    ]


def test_client_defaults_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESIGNER_URL", "http://designer.example:9000/")
    monkeypatch.setenv("DESIGNER_TOKEN", "abc")
    client = Client()
    assert (client.url, client.token) == ("http://designer.example:9000", "abc")
    assert Client("http://other:1", "xyz").url == "http://other:1"

    monkeypatch.delenv("DESIGNER_URL")
    assert Client().url == DEFAULT_URL
    monkeypatch.delenv("DESIGNER_TOKEN")
    with pytest.raises(RemoteError, match="No API token"):
        Client()
