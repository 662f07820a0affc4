"""Whole plans on this machine: scheduling order, failures, cancellation, events, cache, pool."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from worker_toys import CALLS, TOYS, build_plan, node

import components.library
from designer.dag.model import GraphSpec
from workers.artifacts import LocalArtifactStore
from workers.runner import LocalRunner, RunResult


@pytest.fixture(autouse=True)
def _reset_calls() -> None:
    CALLS.clear()


@pytest.fixture
def store(tmp_path: Path) -> LocalArtifactStore:
    return LocalArtifactStore(tmp_path / "artifacts")


DIAMOND = (
    node("src", "toy.numbers", {"n": 3}),
    node("left", "toy.add", {"amount": 1.0}, table="src"),
    node("right", "toy.add", {"amount": 10.0}, table="src"),
    node("join", "toy.merge", left="left", right="right"),
    node("stats", "toy.stats", table="join.table"),
)


def _types(events: list[dict[str, Any]], node_id: str | None = None) -> list[str]:
    return [e["type"] for e in events if node_id is None or e.get("node") == node_id]


def test_a_diamond_runs_in_plan_order_and_joins_both_branches(store: LocalArtifactStore) -> None:
    started: list[str] = []
    plan = build_plan(TOYS, *DIAMOND)
    result = LocalRunner(store, TOYS).run(
        plan, on_event=lambda e: started.append(e["node"]) if e["type"] == "node.started" else None
    )

    assert result.status == "succeeded"
    assert started == ["src", "left", "right", "join", "stats"]
    assert result.output("join", "table")["x"].tolist() == [1, 2, 3, 10, 11, 12]
    assert result.output("join", "report") == "3+3"
    assert result.metrics("stats") == {"rows": 6, "total": 39.0}


def test_a_serial_run_follows_the_plan_order_exactly(store: LocalArtifactStore) -> None:
    # a compiler may order a child before an unrelated root (ties broken by node id)
    plan = build_plan(
        TOYS,
        node("a_root", "toy.numbers"),
        node("b_child", "toy.add", table="a_root"),
        node("c_root", "toy.numbers", {"n": 2}),
    )
    result = LocalRunner(store, TOYS).run(plan)
    started = [e["node"] for e in result.events if e["type"] == "node.started"]
    assert started == plan.step_ids


def test_a_failure_skips_its_descendants_while_other_branches_finish(
    store: LocalArtifactStore,
) -> None:
    plan = build_plan(
        TOYS,
        node("src", "toy.numbers"),
        node("bad", "toy.boom", table="src"),
        node("after_bad", "toy.add", table="bad"),
        node("below", "toy.stats", table="after_bad"),
        node("good", "toy.add", table="src"),
        node("good_stats", "toy.stats", table="good"),
    )
    result = LocalRunner(store, TOYS).run(plan)

    assert result.status == "failed"
    statuses = {s: o.status for s, o in result.steps.items()}
    assert statuses == {
        "src": "succeeded", "bad": "failed", "after_bad": "skipped", "below": "skipped",
        "good": "succeeded", "good_stats": "succeeded",
    }
    assert result.metrics("good_stats")["rows"] == 5
    skipped = [e for e in result.events if e["type"] == "node.skipped"]
    assert [(e["node"], e["reason"]) for e in skipped] == [
        ("after_bad", "upstream failed"), ("below", "upstream failed")
    ]
    failed = next(e for e in result.events if e["type"] == "node.failed")
    assert failed["error"].startswith("ValueError: boom") and "Traceback" in failed["traceback"]
    with pytest.raises(KeyError, match="skipped: upstream failed"):
        result.output("below", "metrics")


def _check_event_stream(result: RunResult, plan_steps: list[str]) -> None:
    events = result.events
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert all(a["ts"] <= b["ts"] for a, b in zip(events, events[1:], strict=False))
    assert events[0]["type"] == "run.started" and events[-1]["type"] == "run.finished"
    assert all(e["run"] == result.run_id for e in events)
    for step_id in plan_steps:
        lifecycle = [t for t in _types(events, step_id) if t not in ("node.log", "node.progress")]
        assert lifecycle == ["node.queued", "node.started", "node.succeeded"], step_id


def test_events_are_numbered_and_follow_each_node_lifecycle(store: LocalArtifactStore) -> None:
    received: list[dict[str, Any]] = []
    plan = build_plan(TOYS, *DIAMOND)
    result = LocalRunner(store, TOYS).run(plan, on_event=received.append, run_id="r1")

    assert received == result.events and result.run_id == "r1"
    _check_event_stream(result, plan.step_ids)
    left = [e for e in result.events if e.get("node") == "left"]
    assert [e["type"] for e in left] == [
        "node.queued", "node.started", "node.log", "node.progress", "node.succeeded"
    ]
    assert left[2]["level"] == "info" and left[2]["message"] == "adding 1.0"
    assert (left[3]["value"], left[3]["max"], left[3]["text"]) == (1.0, 1.0, "done")
    summary = left[4]["outputs"]["table"]
    assert summary["type"] == "table" and summary["summary"]["rows"] == 3
    assert result.events[-1]["status"] == "succeeded"


def test_a_cached_rerun_only_announces_cache_hits(store: LocalArtifactStore) -> None:
    plan = build_plan(TOYS, *DIAMOND)
    first = LocalRunner(store, TOYS).run(plan)
    calls = dict(CALLS)
    second = LocalRunner(store, TOYS).run(plan)

    assert set(_types(second.events)) == {"run.started", "node.cached", "run.finished"}
    assert [e["node"] for e in second.events if e["type"] == "node.cached"] == plan.step_ids
    assert dict(CALLS) == calls and second.status == "succeeded"
    assert {s: o.outputs for s, o in second.steps.items()} == {
        s: o.outputs for s, o in first.steps.items()
    }
    uncached = LocalRunner(store, TOYS).run(plan, use_cache=False)
    assert "node.cached" not in _types(uncached.events)


def test_forced_steps_execute_even_on_a_cache_hit(store: LocalArtifactStore) -> None:
    LocalRunner(store, TOYS).run(build_plan(TOYS, *DIAMOND))
    CALLS.clear()
    result = LocalRunner(store, TOYS).run(build_plan(TOYS, *DIAMOND, force=("left",)))

    assert result.steps["left"].status == "succeeded"
    assert {s: o.status for s, o in result.steps.items() if s != "left"} == dict.fromkeys(
        ["src", "right", "join", "stats"], "cached"
    )
    assert dict(CALLS) == {"add": 1}


def test_cancel_stops_the_running_step_and_nothing_else_starts(store: LocalArtifactStore) -> None:
    cancel = threading.Event()
    plan = build_plan(
        TOYS,
        node("src", "toy.numbers"),
        node("slow", "toy.slow", {"steps": 1000}, table="src"),
        node("after", "toy.add", table="slow"),
        node("other", "toy.add", table="src"),
    )

    def on_event(event: dict[str, Any]) -> None:
        if event["type"] == "node.started" and event["node"] == "slow":
            cancel.set()

    result = LocalRunner(store, TOYS).run(plan, on_event=on_event, cancel=cancel)
    assert result.status == "cancelled" and result.events[-1]["status"] == "cancelled"
    statuses = {s: o.status for s, o in result.steps.items()}
    assert statuses == {"src": "succeeded", "slow": "cancelled", "after": "skipped",
                        "other": "skipped"}
    assert "node.cancelled" in _types(result.events, "slow")
    assert CALLS["add"] == 0


def _catalogue_plan(runner_registry: Any) -> Any:
    from designer.dag.compile import compile_graph

    graph = GraphSpec.from_json({
        "schema_version": 1,
        "nodes": [
            {"id": "iris", "component": "datasets.iris", "version": 1},
            {"id": "wine", "component": "datasets.wine", "version": 1},
            {"id": "scale_iris", "component": "preprocessing.standard_scaler", "version": 1,
             "params": {"columns": ["sepal_length_cm", "petal_width_cm"]}},
            {"id": "scale_all", "component": "preprocessing.standard_scaler", "version": 1},
            {"id": "scale_wine", "component": "preprocessing.standard_scaler", "version": 1},
        ],
        "edges": [
            {"source": "iris", "source_port": "table", "target": "scale_iris",
             "target_port": "table"},
            {"source": "iris", "source_port": "table", "target": "scale_all",
             "target_port": "table"},
            {"source": "wine", "source_port": "table", "target": "scale_wine",
             "target_port": "table"},
        ],
    })
    return compile_graph(graph, runner_registry, seed=0)


def _digests(result: RunResult) -> dict[str, dict[str, str]]:
    return {s: {p: r.digest for p, r in o.outputs.items()} for s, o in result.steps.items()}


def test_a_process_pool_gives_the_same_outcomes_as_a_serial_run(tmp_path: Path) -> None:
    import worker_toys

    plan = build_plan(
        TOYS,
        *DIAMOND,
        node("bad", "toy.boom", table="src"),
        node("after_bad", "toy.add", table="bad"),
    )
    serial = LocalRunner(LocalArtifactStore(tmp_path / "serial"), TOYS).run(plan)
    pool_store = LocalArtifactStore(tmp_path / "pool")
    runner = LocalRunner(pool_store, TOYS, max_workers=2, registry_loader=worker_toys.load)
    pooled = runner.run(plan)

    assert pooled.status == serial.status == "failed"
    assert {s: o.status for s, o in pooled.steps.items()} == {
        s: o.status for s, o in serial.steps.items()
    }
    assert _digests(pooled) == _digests(serial)
    assert "boom" in (pooled.steps["bad"].error or "")
    assert pooled.metrics("stats") == {"rows": 6, "total": 39.0}
    _check_event_stream(pooled, ["src", "left", "right", "join", "stats"])
    left = [e["type"] for e in pooled.events if e.get("node") == "left"]
    assert left == ["node.queued", "node.started", "node.log", "node.progress", "node.succeeded"]
    with pytest.raises(ValueError, match="registry_loader"):
        LocalRunner(pool_store, TOYS, max_workers=2)


@pytest.mark.slow  # two fresh processes import scikit-learn: several seconds on 2 cores
def test_the_catalogue_runs_identically_in_a_process_pool(tmp_path: Path) -> None:
    registry = components.library.load()
    plan = _catalogue_plan(registry)
    serial = LocalRunner(LocalArtifactStore(tmp_path / "serial"), registry).run(plan)
    pooled = LocalRunner(LocalArtifactStore(tmp_path / "pool"), registry, max_workers=2).run(plan)

    assert serial.status == pooled.status == "succeeded"
    assert _digests(pooled) == _digests(serial)  # tables and pickled scalers, byte for byte
    _check_event_stream(pooled, plan.step_ids)
    scaled = pooled.output("scale_iris", "table")
    assert np.allclose(scaled[["sepal_length_cm", "petal_width_cm"]].mean(), 0.0)
