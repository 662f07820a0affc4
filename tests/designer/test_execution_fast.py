"""Node transitions on PostgreSQL's single-round-trip path (``designer.runs.execution.fast``) and
chain continuation, driven directly (no broker): event numbers stay gap-free and in commit order
under concurrent writers, the stored events are exactly what was published, a continued child is
claimed once and never after a cancel, a redelivered message takes over the child its dead
worker was continuing with, and the same run gives the same records with the fast path off.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from typing import Any

import pytest
from server_graphs import edge, graph, node

from designer.catalogue.selectors import component_registry
from designer.runs.artifacts import artifact_store
from designer.runs.events import EventType, NewEvent, run_events_append
from designer.runs.execution import fast, state
from designer.runs.execution.node import node_execute
from designer.runs.execution.plans import run_plan
from designer.runs.models import NodeRun, Run, RunEvent
from designer.runs.services import _compile, _node_runs, run_cancel, run_start
from designer.workflows.services import workflow_create
from workers.executor import make_context, run_step

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the single-round-trip path is PostgreSQL's")


@pytest.fixture(params=[True, False], ids=["fast path", "stepwise"])
def fast_path(request: pytest.FixtureRequest, settings: Any) -> bool:
    """Both ways of writing a transition: one round trip, or statement by statement."""
    settings.DESIGNER_DB_FAST_PATH = request.param
    return bool(request.param)


def make_run(user: Any, doc: dict[str, Any], queued: tuple[str, ...] = ()) -> Run:
    """Rows as run_start commits them, nothing dispatched; ``queued`` as if dispatch sent them."""
    wf = workflow_create(owner=user, name="wf", graph=doc)
    plan = _compile(wf.current_version, seed=0, from_node=None, to_node=None)
    run = Run.objects.create(workflow=wf, version=wf.current_version, owner=user,
                             status="running", plan=plan.to_dict())
    NodeRun.objects.bulk_create(_node_runs(run, plan, use_cache=False))
    NodeRun.objects.filter(run=run, node_id__in=queued).update(status="queued")
    return run


def execute(run: Run, node_id: str, claim: state.Claim, keep: state.ContinueHere | None = None
            ) -> tuple[bool, tuple[str, state.Claim] | None]:
    """Run the claimed step for real and record its success."""
    rp = run_plan(run.pk)
    step = rp.step(node_id)
    outcome = run_step(step, artifact_store(), component_registry(), input_refs=claim.input_refs,
                       ctx=make_context(step), use_cache=False)
    assert outcome.ok, outcome.error
    return state.node_succeed(rp, run_id=run.pk, node_id=node_id, claim=claim,
                              status=outcome.status, outputs=outcome.outputs,
                              cache_key=outcome.cache_key, duration_s=outcome.duration_s,
                              events=[], keep=keep)


def kinds(run: Run) -> dict[str, list[str]]:
    per_node: dict[str, list[str]] = defaultdict(list)
    for kind, node_id in RunEvent.objects.filter(run=run).order_by("seq").values_list(
            "type", "node_id"):
        per_node[node_id].append(kind)
    return dict(per_node)


def fanout_doc(n: int) -> dict[str, Any]:
    return graph([node("iris", "datasets.iris")]
                 + [node(f"k{i}", "utilities.passthrough") for i in range(n)],
                 [edge("iris", "table", f"k{i}", "table") for i in range(n)])


def test_concurrent_writers_get_gap_free_ordered_event_numbers(user: Any,
                                                               fast_path: bool) -> None:
    from django.db import connections

    run = make_run(user, fanout_doc(24), queued=("iris",))
    rp = run_plan(run.pk)
    source = state.node_claim(rp, run_id=run.pk, node_id="iris", task_id="t-src", worker="w:1")
    assert source is not None
    # the source's success queues all 24 children; send them nowhere: claim them below instead
    rows = {c: NodeRun.objects.get(run=run, node_id=c) for c in rp.children["iris"]}
    NodeRun.objects.filter(pk=source.pk).update(status="succeeded", outputs={})
    NodeRun.objects.filter(pk__in=[r.pk for r in rows.values()]).update(status="queued",
                                                                       remaining_parents=0)
    errors: list[BaseException] = []

    def worker(names: list[str], tag: str) -> None:
        try:
            for name in names:
                claim = state.node_claim(rp, run_id=run.pk, node_id=name, task_id=f"t-{name}",
                                         worker=tag)
                assert claim is not None
                done, nxt = state.node_succeed(
                    rp, run_id=run.pk, node_id=name, claim=claim, status="succeeded",
                    outputs={}, cache_key=None, duration_s=0.0,
                    events=[NewEvent(EventType.NODE_LOG, name, {"level": "info", "message": tag})])
                assert done and nxt is None
                run_events_append(run_id=run.pk, events=[  # the stepwise path, interleaved
                    NewEvent(EventType.NODE_PROGRESS, name, {"value": 1, "max": 1, "text": ""})])
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    names = sorted(rows)
    threads = [threading.Thread(target=worker, args=(names[i::4], f"w:{i}")) for i in range(4)]
    # when: four writers at once, on their own connections
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    # then: consecutive numbers, each node's events in order, the run ended last
    assert not errors, errors
    seqs = list(RunEvent.objects.filter(run=run).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    per_node = kinds(run)
    for name in names:
        assert per_node[name][:3] == ["node.started", "node.log", "node.succeeded"], name
    assert per_node[""][-1] == "run.finished"
    assert Run.objects.get(pk=run.pk).status == "succeeded"


def test_what_the_fast_path_publishes_is_what_it_stored(user: Any) -> None:
    doc = graph([node("a", "datasets.iris"), node("b", "utilities.passthrough"),
                 node("c", "utilities.passthrough")],
                [edge("a", "table", "b", "table"), edge("a", "table", "c", "table")])
    run = make_run(user, doc, queued=("a",))
    rp = run_plan(run.pk)
    claim = state.node_claim(rp, run_id=run.pk, node_id="a", task_id="t", worker="w:1")
    assert claim is not None
    from django.utils import timezone

    # when
    got = fast.succeed(run_id=run.pk, pk=claim.pk, attempt=claim.attempt, status="succeeded",
                       outputs={}, cache_key="", children=[("b", "cpu"), ("c", "gpu")],
                       events=[NewEvent(EventType.NODE_LOG, "a", {"level": "info", "message": "x"}),
                               NewEvent(EventType.NODE_SUCCEEDED, "a", {"outputs": {}})],
                       now=timezone.now())
    # then
    assert got is not None and got.ready == ["b", "c"] and got.active and not got.finished
    stored = [e.to_message() for e in RunEvent.objects.filter(run=run, seq__gt=1).order_by("seq")]
    assert got.messages == stored
    assert [(m["type"], m.get("node"), m.get("queue")) for m in stored] == [
        ("node.log", "a", None), ("node.succeeded", "a", None), ("node.queued", "b", "cpu"),
        ("node.queued", "c", "gpu")]


def test_a_success_claims_the_child_it_completes_once(user: Any, fast_path: bool) -> None:
    # a and b both feed c: only the second success completes c, and claims it
    run = make_run(user, graph([node("a", "datasets.iris"), node("b", "datasets.iris"),
                                node("c", "preprocessing.concat_rows")],
                               [edge("a", "table", "c", "tables"),
                                edge("b", "table", "c", "tables")]), queued=("a", "b"))
    rp = run_plan(run.pk)
    keep = state.ContinueHere(queue="cpu", task_id="msg-b", worker="w:2")
    claims = {n: state.node_claim(rp, run_id=run.pk, node_id=n, task_id=f"msg-{n}", worker="w")
              for n in ("a", "b")}
    # when
    first = execute(run, "a", claims["a"], keep=state.ContinueHere("cpu", "msg-a", "w:1"))
    second = execute(run, "b", claims["b"], keep=keep)
    # then
    assert first == (True, None)
    assert second[1] is not None and second[1][0] == "c"
    child = NodeRun.objects.get(run=run, node_id="c")
    assert (child.status, child.task_id, child.attempt) == ("running", "msg-b", 1)
    inputs = second[1][1].input_refs
    assert set(inputs) == {"tables"} and len(inputs["tables"]) == 2
    assert kinds(run)["c"] == ["node.queued", "node.started"]  # queued, then claimed at once
    # a duplicate message for c (a redelivery, the reconciler) finds it taken
    assert state.node_claim(rp, run_id=run.pk, node_id="c", task_id="other", worker="w") is None


def test_no_continuation_into_a_cancelled_run(user: Any, fast_path: bool) -> None:
    run = make_run(user, graph([node("a", "datasets.iris"), node("b", "utilities.passthrough")],
                               [edge("a", "table", "b", "table")]), queued=("a",))
    rp = run_plan(run.pk)
    claim = state.node_claim(rp, run_id=run.pk, node_id="a", task_id="msg", worker="w:1")
    assert claim is not None
    # when: the run is cancelled while a runs; a then succeeds, asking to continue
    run_cancel(run=run)
    done, nxt = execute(run, "a", claim, keep=state.ContinueHere("cpu", "msg", "w:1"))
    # then
    assert done and nxt is None
    assert dict(run.nodes.values_list("node_id", "status")) == {"a": "succeeded",
                                                                "b": "cancelled"}
    assert "node.started" not in kinds(run)["b"]
    assert Run.objects.get(pk=run.pk).status == "cancelled"


def test_a_redelivered_message_takes_over_the_child_its_worker_was_continuing_with(
    user: Any, fast_path: bool
) -> None:
    doc = graph([node("iris", "datasets.iris"), node("pass", "utilities.passthrough")],
                [edge("iris", "table", "pass", "table")])
    run = make_run(user, doc, queued=("iris",))
    rp = run_plan(run.pk)
    claim = state.node_claim(rp, run_id=run.pk, node_id="iris", task_id="msg", worker="dead:1")
    assert claim is not None
    _, nxt = execute(run, "iris", claim, keep=state.ContinueHere("cpu", "msg", "dead:1"))
    assert nxt is not None and nxt[0] == "pass"
    # when: the worker died before finishing pass; the broker hands the message out again
    status = node_execute(run_id=run.pk, node_id="iris", task_id="msg", queue="cpu")
    # then: the message's own node is done, so it ran the continued node (second attempt)
    assert status == "succeeded"
    passed = NodeRun.objects.get(run=run, node_id="pass")
    assert (passed.status, passed.attempt) == ("succeeded", 2)
    assert kinds(run)["pass"] == ["node.queued", "node.started", "node.started",
                                  "node.succeeded"]
    assert Run.objects.get(pk=run.pk).status == "succeeded"
    iris = NodeRun.objects.get(run=run, node_id="iris")
    assert passed.outputs["table"]["digest"] == iris.outputs["table"]["digest"]  # passed through


def test_a_free_worker_takes_a_queued_sibling_whose_message_waits(
    user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # iris feeds p and q; p continues in iris's task, q gets a message that waits in the broker
    sent: list[str] = []
    monkeypatch.setattr(state, "nodes_send", lambda run_id, nodes: sent.extend(nodes))
    run = make_run(user, graph([node("iris", "datasets.iris"), node("p", "utilities.passthrough"),
                                node("q", "utilities.passthrough")],
                               [edge("iris", "table", "p", "table"),
                                edge("iris", "table", "q", "table")]), queued=("iris",))
    rp = run_plan(run.pk)
    keep = state.ContinueHere(queue="cpu", task_id="msg-iris", worker="w:1")
    claim = state.node_claim(rp, run_id=run.pk, node_id="iris", task_id="msg-iris", worker="w:1")
    assert claim is not None
    _, nxt = execute(run, "iris", claim, keep=keep)
    assert nxt is not None and nxt[0] == "p"
    assert NodeRun.objects.get(run=run, node_id="q").status == "queued" and sent == ["q"]
    # when: p is done before any worker took q's message
    _, stolen = execute(run, "p", nxt[1], keep=keep)
    # then: this task goes on with q, with its inputs; q's message will find it taken
    assert stolen is not None and stolen[0] == "q"
    assert set(stolen[1].input_refs) == {"table"}
    q = NodeRun.objects.get(run=run, node_id="q")
    assert (q.status, q.task_id, q.attempt) == ("running", "msg-iris", 1)
    assert state.node_claim(rp, run_id=run.pk, node_id="q", task_id="msg-q", worker="w:2") is None
    assert execute(run, "q", stolen[1], keep=keep) == (True, None)
    assert Run.objects.get(pk=run.pk).status == "succeeded"
    assert kinds(run)["q"] == ["node.queued", "node.started", "node.succeeded"]


def test_a_component_never_waits_for_its_progress_to_be_written(
    user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from designer.runs.execution.node import NodeSinks

    run = make_run(user, graph([node("iris", "datasets.iris")], []), queued=("iris",))
    rp = run_plan(run.pk)
    claim = state.node_claim(rp, run_id=run.pk, node_id="iris", task_id="m", worker="w:1")
    assert claim is not None
    slow_db = 1.0
    write = fast.progress

    def slow_progress(**kwargs: Any) -> list[dict[str, Any]]:
        time.sleep(slow_db)
        return write(**kwargs)

    monkeypatch.setattr(fast, "progress", slow_progress)
    sinks = NodeSinks(run.pk, "iris", claim.pk)
    sinks.started -= 1  # a node running for a while: its reports are written as they come
    # when: reports while the database is slow
    began = time.monotonic()
    sinks.progress(1, 10, "one")
    while not sinks.writing:  # the writer thread took the first report
        time.sleep(0.001)
    sinks.log("info", "a line")
    sinks.progress(2, 10, "two")
    reported = time.monotonic() - began
    left = sinks.drain()  # the node ends: waits for the write in flight, takes the rest
    drained = time.monotonic() - began
    # then: reporting returned at once; the first report was written meanwhile, in its order
    assert reported < slow_db / 4 and drained >= slow_db * 0.9
    assert [(str(e.type), e.payload.get("text") or e.payload.get("message")) for e in left] == [
        ("node.log", "a line"), ("node.progress", "two")]
    assert NodeRun.objects.get(pk=claim.pk).progress == {"value": 1.0, "max": 10.0,
                                                         "text": "one"}
    sinks.progress(3, 10, "late")  # after the end: dropped
    state.node_succeed(rp, run_id=run.pk, node_id="iris", claim=claim, status="succeeded",
                       outputs={}, cache_key=None, duration_s=0.1, events=left)
    assert kinds(run)["iris"] == ["node.started", "node.progress", "node.log", "node.progress",
                                  "node.succeeded"]


def test_a_short_node_s_progress_goes_with_its_end(user: Any) -> None:
    from designer.runs.execution.node import LOG_FLUSH_S, PROGRESS_HOLD_S, NodeSinks

    run = make_run(user, graph([node("iris", "datasets.iris")], []), queued=("iris",))
    rp = run_plan(run.pk)
    claim = state.node_claim(rp, run_id=run.pk, node_id="iris", task_id="m", worker="w:1")
    assert claim is not None
    sinks = NodeSinks(run.pk, "iris", claim.pk)
    sinks.started += 60  # however slow this machine is, the node is in its first moments
    # when: a node reports and is done within its first moments
    sinks.progress(0, 2, "start")
    sinks.progress(2, 2, "done")
    time.sleep(PROGRESS_HOLD_S)
    left = sinks.drain()
    # then: nothing was written on its own; the reports go with the node's final event
    assert [e.payload["text"] for e in left] == ["start", "done"]
    assert not RunEvent.objects.filter(run=run, type="node.progress").exists()
    state.node_succeed(rp, run_id=run.pk, node_id="iris", claim=claim, status="succeeded",
                       outputs={}, cache_key=None, duration_s=0.01, events=left)
    assert kinds(run)["iris"] == ["node.started", "node.progress", "node.progress",
                                  "node.succeeded"]
    # and a node still running after that writes what it reported then
    later = NodeSinks(run.pk, "iris", claim.pk)
    later.progress(1, 2, "half")
    deadline = time.monotonic() + 5
    while not RunEvent.objects.filter(run=run, type="node.progress",
                                      payload__text="half").exists():
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert time.monotonic() - later.started >= PROGRESS_HOLD_S
    # a log line alone goes once it has waited LOG_FLUSH_S (here: the heartbeat's check)
    later.log("info", "alone")
    later.first_buffered -= LOG_FLUSH_S
    later.flush_stale()
    while not RunEvent.objects.filter(run=run, type="node.log", payload__message="alone").exists():
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_a_worker_only_takes_queued_nodes_of_queues_it_serves(user: Any, settings: Any) -> None:
    settings.DESIGNER_GPU_WORKERS = 1  # gpu nodes go to the gpu queue: a cpu worker leaves them
    run = make_run(user, graph([node("iris", "datasets.iris"), node("g", "datasets.iris")], []),
                   queued=("iris", "g"))
    NodeRun.objects.filter(run=run, node_id="g").update(queue="gpu")
    rp = run_plan(run.pk)
    claim = state.node_claim(rp, run_id=run.pk, node_id="iris", task_id="m", worker="w:1")
    assert claim is not None
    # when
    done, nxt = execute(run, "iris", claim, keep=state.ContinueHere("cpu", "m", "w:1"))
    # then
    assert done and nxt is None
    assert NodeRun.objects.get(run=run, node_id="g").status == "queued"


@pytest.mark.slow
@pytest.mark.parametrize("fast_path", [True, False])
def test_inline_runs_record_the_same_with_the_fast_path_on_and_off(
    user: Any, settings: Any, fast_path: bool
) -> None:
    settings.DESIGNER_EXECUTION = "inline"
    settings.DESIGNER_DB_FAST_PATH = fast_path
    doc = graph([node("iris", "datasets.iris"), node("p1", "utilities.passthrough"),
                 node("p2", "utilities.passthrough"), node("both", "preprocessing.concat_rows"),
                 node("read", "io.read_csv", path="missing.csv"),
                 node("after", "utilities.passthrough")],
                [edge("iris", "table", "p1", "table"), edge("iris", "table", "p2", "table"),
                 edge("p1", "table", "both", "tables"), edge("p2", "table", "both", "tables"),
                 edge("read", "table", "after", "table")])
    wf = workflow_create(owner=user, name="wf", graph=doc)
    run = run_start(workflow=wf, user=user, use_cache=False)
    deadline = time.monotonic() + 30
    while not Run.objects.get(pk=run.pk).is_finished:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    run.refresh_from_db()
    assert (run.status, run.error.split(":")[0]) == ("failed", "node 'read' failed")
    assert dict(run.nodes.values_list("node_id", "status")) == {
        "iris": "succeeded", "p1": "succeeded", "p2": "succeeded", "both": "succeeded",
        "read": "failed", "after": "skipped"}
    seqs = list(run.events.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    per_node = {n: [k for k in ks if k not in ("node.log", "node.progress")]
                for n, ks in kinds(run).items()}
    for name in ("iris", "p1", "p2", "both"):
        assert per_node[name] == ["node.queued", "node.started", "node.succeeded"], name
    assert per_node["after"] == ["node.skipped"] and per_node[""][-1] == "run.finished"
    assert run.nodes.get(node_id="both").remaining_parents == 0


def test_continuation_only_starts_early_in_a_task(settings: Any) -> None:
    from designer.runs.execution.node import continue_budget_s

    settings.DESIGNER_CONTINUE_S = 2
    # a continued node runs under its message's limits: it always keeps >= 95 % of its own
    assert continue_budget_s(6 * 3600) == 2
    assert continue_budget_s(10) == pytest.approx(0.5)
    assert continue_budget_s(None) == 2
    settings.DESIGNER_CONTINUE_S = 0
    assert continue_budget_s(10) == 0


DUMMY = {"bigint": "1", "integer": "1", "varchar": "'x'", "text": "'x'", "jsonb": "'[]'",
         "timestamptz": "now()", "varchar[]": "'{x}'", "bigint[]": "'{1}'",
         "integer[]": "'{1}'"}


def test_every_hot_statement_finds_rows_through_an_index(user: Any) -> None:
    """The plans every worker session keeps (generic, made once, whatever the table held then)
    look nodes up by key: no scan of the node, run or event table, and no walk through every
    running or queued node of every run (node_run_status_queued)."""
    from django.db import connection, transaction

    from designer.runs.execution.statements import STATEMENTS

    make_run(user, graph([node("iris", "datasets.iris")], []))  # a small table, as at first
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan TO off")
        cursor.execute("SET LOCAL plan_cache_mode TO force_generic_plan")
        for key, (types, _) in STATEMENTS.items():
            cursor.execute(fast._prepare(key).replace(fast._name(key), f"plan_{key}"))
            args = ", ".join(DUMMY[t.strip()] for t in types.split(","))
            cursor.execute(f"EXPLAIN EXECUTE plan_{key}({args})")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            cursor.execute(f"DEALLOCATE plan_{key}")
            assert "Seq Scan on runs_" not in plan, (key, plan)
            assert "node_run_status_queued" not in plan, (key, plan)
            if key == "claim_next":  # a queued node to take: among the run's, not all
                assert "node_run_queued" in plan, plan


def test_a_solo_worker_past_its_hard_limit_fails_the_node_then_exits(
    user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from workers import tasks

    run = make_run(user, graph([node("iris", "datasets.iris"), node("p", "utilities.passthrough")],
                               [edge("iris", "table", "p", "table")]), queued=("iris",))
    claim = state.node_claim(run_plan(run.pk), run_id=run.pk, node_id="iris", task_id="msg",
                             worker="gpu:1")
    assert claim is not None
    exits: list[int] = []
    monkeypatch.setattr(os, "_exit", exits.append)
    # when: the hard limit's timer fires while the node is stuck
    tasks._hard_limit_hit(run.pk, "iris", "msg", 61.5)
    # then: the node failed with the reason, its child skipped, the run over, the process gone
    iris = NodeRun.objects.get(run=run, node_id="iris")
    assert iris.status == "failed" and "hard time limit (61.5 s) exceeded" in iris.error
    assert NodeRun.objects.get(run=run, node_id="p").status == "skipped"
    assert Run.objects.get(pk=run.pk).status == "failed"
    assert exits == [tasks.HARD_LIMIT_EXIT]
