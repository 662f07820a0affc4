"""Run a graph in this process and report the result: shared by ``designer run``, the SDK's
``Pipeline.run()``/``main()`` and exported scripts, so all three print and exit the same way."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from components.sdk.registry import Registry
from designer.dag.errors import GraphError
from designer.dag.model import GraphSpec
from designer.dag.plan import ExecutionPlan

if TYPE_CHECKING:
    from workers.runner import RunResult

DEFAULT_STORE = Path(".designer") / "artifacts"
EXIT_FAILED, EXIT_INVALID = 1, 2


def run_plan(
    plan: ExecutionPlan,
    registry: Registry,
    *,
    use_cache: bool = True,
    store: str | Path | None = None,
    data_dir: str | Path | None = None,
    workers: int = 1,
    on_event: Callable[[dict[str, Any]], None] | None = None,
) -> RunResult:
    """Run ``plan`` with ``LocalRunner`` on a local artifact store (default ``DEFAULT_STORE``)."""
    from workers.artifacts import LocalArtifactStore
    from workers.runner import LocalRunner

    runner = LocalRunner(
        LocalArtifactStore(Path(store) if store is not None else DEFAULT_STORE),
        registry,
        data_dir=Path(data_dir) if data_dir is not None else None,
        max_workers=workers,
    )
    return runner.run(plan, use_cache=use_cache, on_event=on_event)


# reporting ---------------------------------------------------------------------------------
def error_line(error: GraphError) -> str:
    """``node n2 param test_size: must be < 1 (got 2)``."""
    where = []
    if error.node is not None:
        where.append(f"node {error.node}")
    if error.param is not None:
        where.append(f"param {error.param}")
    elif error.port is not None:
        where.append(f"port {error.port}")
    if error.edge is not None and error.node is None:
        where.append(f"edge {error.edge}")
    message = error.message
    if error.param is not None and message.startswith(f"{error.param} "):
        message = message[len(error.param) + 1 :]
    return f"{' '.join(where)}: {message}" if where else message


def metrics_of(result: RunResult, step_id: str) -> dict[str, dict[str, Any]]:
    """``{port: metrics dict}`` for the metrics outputs of one step that produced them."""
    outcome = result.steps[step_id]
    if not outcome.ok:
        return {}
    return {p: dict(result.output(step_id, p)) for p, r in outcome.outputs.items()
            if r.type == "metrics"}  # fmt: skip


def result_json(plan: ExecutionPlan, result: RunResult) -> dict[str, Any]:
    """The run as JSON: ``status``, per-node ``nodes`` and ``metrics`` keyed by node id
    (``node.port`` when a node has several metrics outputs)."""
    nodes: dict[str, Any] = {}
    metrics: dict[str, Any] = {}
    for step in plan.steps:
        outcome = result.steps[step.step_id]
        nodes[step.step_id] = {
            "component": step.component_id,
            "status": outcome.status,
            "error": outcome.error,
            "cache_key": outcome.cache_key,
            "duration_s": round(outcome.duration_s, 4),
        }
        found = metrics_of(result, step.step_id)
        for port, values in found.items():
            metrics[step.step_id if len(found) == 1 else f"{step.step_id}.{port}"] = values
    return {
        "status": result.status,
        "duration_s": round(result.duration_s, 4),
        "nodes": nodes,
        "metrics": metrics,
    }


def _format_value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


FINAL_EVENTS = ("node.cached", "node.succeeded", "node.failed", "node.skipped", "node.cancelled")


def status_line(
    status: str, node: str, component: str, duration_s: float, error: str | None
) -> str:
    """``succeeded  split (preprocessing.train_test_split)  0.08s``."""
    line = f"{status:<9}  {node} ({component})"
    if status == "succeeded":
        line += f"  {duration_s:.2f}s"
    return f"{line}: {error}" if error else line


def report_lines(plan: ExecutionPlan, result: RunResult, *, statuses: bool = True) -> list[str]:
    """Human-readable report: one line per node (unless ``statuses=False``, when they were
    printed live), then the metrics, then the overall status."""
    lines = []
    for step in plan.steps if statuses else ():
        o = result.steps[step.step_id]
        lines.append(status_line(o.status, step.step_id, step.component_id, o.duration_s, o.error))
    for step in plan.steps:
        for port, values in metrics_of(result, step.step_id).items():
            lines.append(f"metrics    {step.step_id}.{port}")
            width = max((len(k) for k in values), default=0)
            lines += [f"  {k:<{width}}  {_format_value(v)}" for k, v in values.items()]
    counts: dict[str, int] = {}
    for outcome in result.steps.values():
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    detail = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    lines.append(f"run {result.status} in {result.duration_s:.2f}s ({detail})")
    return lines


def live_printer(plan: ExecutionPlan, out: TextIO) -> Callable[[dict[str, Any]], None]:
    """An ``on_event`` sink printing each node's status line as soon as the node is done."""
    components = {s.step_id: s.component_id for s in plan.steps}

    def on_event(event: dict[str, Any]) -> None:
        if event["type"] in FINAL_EVENTS:
            node = event["node"]
            status = event["type"].removeprefix("node.")
            error = event.get("error") or event.get("reason")
            duration = float(event.get("duration_s") or 0.0)
            print(status_line(status, node, components.get(node, "?"), duration, error), file=out)
            out.flush()

    return on_event


# command line ------------------------------------------------------------------------------
def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=int, default=0, help="run seed (default 0)")
    parser.add_argument("--no-cache", action="store_true", help="execute every node again")
    parser.add_argument("--store", type=Path, default=None,
                        help=f"artifact folder (default {DEFAULT_STORE})")  # fmt: skip
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="folder that file components read and write")  # fmt: skip
    parser.add_argument("--workers", type=int, default=1, help="parallel processes (default 1)")
    parser.add_argument("--from", dest="from_node", metavar="NODE",
                        help="run this node and everything downstream of it")  # fmt: skip
    parser.add_argument("--to", dest="to_node", metavar="NODE",
                        help="run only this node and what it needs")  # fmt: skip
    parser.add_argument("--json", action="store_true",
                        help="print the result as JSON (status, nodes, metrics)")  # fmt: skip


def run_and_report(
    graph: GraphSpec,
    registry: Registry,
    args: argparse.Namespace,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Compile and run ``graph`` as ``args`` say, print the report; return the exit code."""
    from designer.dag.compile import GraphInvalid, compile_graph

    out = out or sys.stdout
    err = err or sys.stderr
    try:
        plan = compile_graph(
            graph, registry, seed=args.seed, from_node=args.from_node, to_node=args.to_node
        )
    except GraphInvalid as exc:
        print(f"the graph is invalid ({len(exc.errors)} problem(s)):", file=err)
        for error in exc.errors:
            print(f"  {error_line(error)}", file=err)
        return EXIT_INVALID
    result = run_plan(
        plan,
        registry,
        use_cache=not args.no_cache,
        store=args.store,
        data_dir=args.data_dir,
        workers=args.workers,
        on_event=None if args.json else live_printer(plan, out),
    )
    if args.json:
        print(json.dumps(result_json(plan, result), indent=2), file=out)
    else:
        print("\n".join(report_lines(plan, result, statuses=False)), file=out)
    return 0 if result.status == "succeeded" else EXIT_FAILED


def main_for_graph(graph: GraphSpec, registry: Registry, argv: Sequence[str] | None = None) -> int:
    """What an exported script's ``pipeline.main()`` does: parse run options, run, report."""
    parser = argparse.ArgumentParser(
        description="Run this Designer pipeline on this machine and print each node's status "
        "and metrics.",
    )
    add_run_arguments(parser)
    args = parser.parse_args(argv)
    return run_and_report(graph, registry, args)
