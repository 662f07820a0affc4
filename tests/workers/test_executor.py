"""One step at a time: execute_step on objects, run_step with the store, cache and failures."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from worker_toys import CALLS, TOYS, build_plan, node

from components.sdk import Cancelled, Context
from designer.dag.plan import ExecutionPlan, Step, runtime_cache_key
from workers.artifacts import ArtifactRef, LocalArtifactStore
from workers.executor import StepError, StepOutcome, execute_step, make_context, run_step


@pytest.fixture(autouse=True)
def _reset_calls() -> None:
    CALLS.clear()


@pytest.fixture
def store(tmp_path: Path) -> LocalArtifactStore:
    return LocalArtifactStore(tmp_path / "artifacts")


def _plan(*nodes: tuple) -> ExecutionPlan:
    return build_plan(TOYS, *nodes)


def _refs(store: LocalArtifactStore, **tables: pd.DataFrame) -> dict[str, list[ArtifactRef]]:
    return {port: [store.put("table", df)] for port, df in tables.items()}


def _run(step: Step, store: LocalArtifactStore, refs: dict, **kwargs: object) -> StepOutcome:
    return run_step(step, store, TOYS, input_refs=refs, ctx=make_context(step), **kwargs)


def test_execute_step_runs_the_component_with_resolved_params() -> None:
    plan = _plan(node("src", "toy.numbers"), node("a", "toy.add", {"amount": 2.5}, table="src"))
    step = plan.step("a")
    ctx = Context(node_id="a")
    out = execute_step(step, {"table": pd.DataFrame({"x": [1.0, 2.0]})}, ctx, TOYS)
    assert list(out) == ["table"] and out["table"]["x"].tolist() == [3.5, 4.5]
    assert ctx.logs == [("info", "adding 2.5")]


def test_many_inputs_and_named_tuple_outputs() -> None:
    plan = _plan(
        node("s", "toy.numbers"),
        node("st", "toy.stack", tables=["s", "s"]),
        node("m", "toy.merge", left="s", right="st"),
    )
    one = pd.DataFrame({"x": [1.0]})
    stacked = execute_step(plan.step("st"), {"tables": [one, one, one]}, Context(), TOYS)
    merged = execute_step(plan.step("m"), {"left": one, "right": one}, Context(), TOYS)
    assert len(stacked["table"]) == 3
    assert merged["report"] == "1+1" and len(merged["table"]) == 2


def test_set_up_problems_are_step_errors_that_say_what_to_fix() -> None:
    plan = _plan(node("s", "toy.numbers"), node("a", "toy.add", table="s"))
    bad_params = Step.from_dict({**plan.step("a").to_dict(), "params": {"amount": "lots"}})
    with pytest.raises(StepError, match="node 'a' .*invalid params — amount"):
        execute_step(bad_params, {"table": pd.DataFrame({"x": [1.0]})}, Context(), TOYS)
    with pytest.raises(StepError, match="input 'table' .* is required; connect an edge"):
        execute_step(plan.step("a"), {}, Context(), TOYS)
    with pytest.raises(StepError, match="no input port"):
        execute_step(plan.step("s"), {"table": pd.DataFrame()}, Context(), TOYS)


def test_a_failing_component_gives_failed_with_message_and_traceback(
    store: LocalArtifactStore,
) -> None:
    step = _plan(node("s", "toy.numbers"), node("b", "toy.boom", table="s")).step("b")
    outcome = _run(step, store, _refs(store, table=pd.DataFrame({"x": [1.0]})))

    assert outcome.status == "failed" and outcome.outputs == {}
    assert outcome.error == "ValueError: boom: the toy failed on purpose"
    assert outcome.traceback is not None and "in boom" in outcome.traceback
    assert store.lookup(step.cache_key or "") is None  # failures are never cached


def test_a_wrong_output_type_names_component_and_port(store: LocalArtifactStore) -> None:
    step = _plan(node("s", "toy.numbers"), node("w", "toy.wrong", table="s")).step("w")
    outcome = _run(step, store, _refs(store, table=pd.DataFrame({"x": [1.0]})))
    assert outcome.status == "failed"
    assert "output 'table' of node 'w' (toy.wrong v1) must be a pandas DataFrame" in outcome.error


def test_cancel_stops_a_running_step_at_its_next_progress_report(
    store: LocalArtifactStore,
) -> None:
    step = _plan(node("s", "toy.numbers"), node("sl", "toy.slow", table="s")).step("sl")
    checks = iter(range(1000))
    ctx = make_context(step, is_cancelled=lambda: next(checks) >= 5)
    refs = _refs(store, table=pd.DataFrame({"x": [1.0]}))

    outcome = run_step(step, store, TOYS, input_refs=refs, ctx=ctx)
    assert outcome.status == "cancelled" and "cancelled" in (outcome.error or "")
    assert CALLS["slow"] == 1 and store.lookup(step.cache_key or "") is None


def test_a_step_cancelled_before_it_starts_never_runs(store: LocalArtifactStore) -> None:
    step = _plan(node("s", "toy.numbers")).step("s")
    ctx = make_context(step, is_cancelled=lambda: True)
    outcome = run_step(step, store, TOYS, input_refs={}, ctx=ctx)
    assert outcome.status == "cancelled" and CALLS["numbers"] == 0
    with pytest.raises(Cancelled):
        execute_step(step, {}, make_context(step, is_cancelled=lambda: True), TOYS)


def test_a_cache_hit_skips_execution(store: LocalArtifactStore) -> None:
    step = _plan(node("s", "toy.numbers", {"n": 3})).step("s")
    first = _run(step, store, {})
    second = _run(step, store, {})

    assert (first.status, second.status) == ("succeeded", "cached")
    assert second.outputs == first.outputs and second.cache_key == step.cache_key
    assert CALLS["numbers"] == 1
    assert _run(step, store, {}, force=True).status == "succeeded"
    assert _run(step, store, {}, use_cache=False).status == "succeeded"
    assert CALLS["numbers"] == 3


def test_downstream_of_a_non_cacheable_step_uses_a_runtime_key(
    store: LocalArtifactStore, tmp_path: Path
) -> None:
    plan = _plan(node("r", "toy.read"), node("a", "toy.add", table="r"))
    read, add = plan.step("r"), plan.step("a")
    assert read.cache_key is None and add.cache_key is None  # unknown until the file is read
    (tmp_path / "numbers.csv").write_text("x\n1\n2\n")

    def run_both() -> tuple[StepOutcome, StepOutcome]:
        r = run_step(read, store, TOYS, input_refs={}, ctx=make_context(read, data_dir=tmp_path))
        refs = {"table": [r.outputs["table"]]}
        return r, run_step(add, store, TOYS, input_refs=refs, ctx=make_context(add))

    r1, a1 = run_both()
    r2, a2 = run_both()
    assert (r1.status, r2.status) == ("succeeded", "succeeded")  # a reader always reads
    assert r1.cache_key is None
    assert (a1.status, a2.status) == ("succeeded", "cached")
    assert a2.cache_key == runtime_cache_key(add, {"table": [r1.outputs["table"].digest]})

    (tmp_path / "numbers.csv").write_text("x\n1\n3\n")  # new content: new digest, new key
    _, a3 = run_both()
    assert a3.status == "succeeded" and a3.cache_key != a1.cache_key
    assert CALLS["read"] == 3 and CALLS["add"] == 2


def test_outcomes_survive_json() -> None:
    ref = ArtifactRef("c" * 64, "text", "file:///x", 3, {"chars": 3, "preview": "abc"})
    outcome = StepOutcome("succeeded", {"text": ref}, "k" * 64, duration_s=0.5,
                          logs=(("info", "hi"),))
    assert StepOutcome.from_dict(json.loads(json.dumps(outcome.to_dict()))) == outcome
