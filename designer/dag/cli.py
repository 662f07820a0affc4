"""The ``designer`` command: validate, run, export and import graphs, list the catalogue.

    designer validate graph.json
    designer run graph.json [--seed N] [--no-cache] [--store DIR] [--json] ...
    designer export graph.json [-o pipeline.py]
    designer import pipeline.py [-o graph.json]
    designer components [--json]
    designer samples
    designer submit graph.json [--url URL] [--token TOKEN] [--name NAME] ...

A graph argument is a graph document, a sample file ``{"title", "description", "graph"}``, or
``sample:<name>`` for a bundled sample. Exit codes: 0 ok, 1 the run failed, 2 invalid input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from components.sdk.registry import Registry
from designer.dag.local import EXIT_INVALID, add_run_arguments, error_line, run_and_report
from designer.dag.model import GraphSpec


class CliError(Exception):
    """A problem with the command's input; printed without a traceback, exit code 2."""


def _registry() -> Registry:
    from components.library import load

    return load()


def _read_document(source: str) -> tuple[dict[str, Any] | str, str | None]:
    """The raw graph document and a title, from a file or ``sample:<name>``."""
    if source.startswith("sample:"):
        from designer.samples import load_sample

        try:
            title, _, graph = load_sample(source.removeprefix("sample:"))
        except KeyError as exc:
            raise CliError(exc.args[0]) from None
        return graph.to_dict(), title
    path = Path(source)
    try:
        text = sys.stdin.read() if source == "-" else path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CliError(f"cannot read {source}: {exc.strerror or exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return text, None  # parse_graph reports where the JSON breaks
    if isinstance(data, dict) and "graph" in data and "nodes" not in data:
        return data["graph"], data.get("title")
    return data, None


def _load_graph(source: str) -> tuple[GraphSpec, str | None]:
    from designer.dag.validate import parse_graph

    data, title = _read_document(source)
    graph, errors = parse_graph(data)
    if graph is None:
        lines = "\n".join(f"  {error_line(e)}" for e in errors)
        raise CliError(f"{source} is not a valid graph document:\n{lines}")
    return graph, title


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        print(f"wrote {output}", file=sys.stderr)


# commands ----------------------------------------------------------------------------------
def cmd_validate(args: argparse.Namespace) -> int:
    from designer.dag.validate import validate_graph

    graph, _ = _load_graph(args.graph)
    errors = validate_graph(graph, _registry())
    if errors:
        print(f"{args.graph}: {len(errors)} problem(s)", file=sys.stderr)
        for error in errors:
            print(f"  {error_line(error)}", file=sys.stderr)
        return EXIT_INVALID
    print(f"{args.graph}: ok ({len(graph.nodes)} nodes, {len(graph.edges)} edges)")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    graph, _ = _load_graph(args.graph)
    return run_and_report(graph, _registry(), args)


def cmd_export(args: argparse.Namespace) -> int:
    from designer.dag.export import ExportError, graph_to_code

    graph, title = _load_graph(args.graph)
    try:
        code = graph_to_code(graph, _registry(), name=args.name or title)
    except ExportError as exc:
        raise CliError(f"cannot export {args.graph}: {exc}") from None
    _write(code, args.output)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from designer.dag.importer import CodeImportError, code_to_graph

    try:
        source = Path(args.code).read_text(encoding="utf-8")
    except OSError as exc:
        raise CliError(f"cannot read {args.code}: {exc.strerror or exc}") from None
    try:
        graph = code_to_graph(source, _registry())
    except CodeImportError as exc:
        raise CliError(f"{args.code}:{exc.line or 1}: {exc.message}") from None
    _write(json.dumps(graph.to_dict(), indent=2, ensure_ascii=False) + "\n", args.output)
    return 0


def cmd_components(args: argparse.Namespace) -> int:
    registry = _registry()
    if args.json:
        print(json.dumps(registry.describe(), indent=2, default=str))
        return 0
    category = None
    for spec in sorted(registry.latest(), key=lambda s: (s.category, s.id)):
        if spec.category != category:
            category = spec.category
            print(f"{category}:")
        ins = ", ".join(f"{p.name}{'[]' if p.many else ''}{'?' if p.optional else ''}"
                        for p in spec.inputs)  # fmt: skip
        outs = ", ".join(p.name for p in spec.outputs)
        print(f"  {spec.id:<40} v{spec.version}  ({ins}) -> {outs}  {spec.description}")
    return 0


def cmd_samples(args: argparse.Namespace) -> int:
    from designer.samples import list_samples, load_sample

    for name in list_samples():
        title, _, _ = load_sample(name)
        print(f"{name:<32} {title}")
    print("\nrun one with: designer run sample:<name>")
    return 0


def cmd_submit(args: argparse.Namespace) -> int:
    from designer.sdk.remote import Client, RemoteError, print_events, submit_graph

    graph, title = _load_graph(args.graph)
    try:
        client = Client(args.url, args.token)
        run = submit_graph(graph.to_dict(), client, name=args.name or title,
                           workflow_id=args.workflow_id, from_node=args.from_node,
                           to_node=args.to_node, use_cache=not args.no_cache, seed=args.seed)
        print(f"run {run.id} of workflow {run.workflow_id} started on {client.url}",
              file=sys.stderr)
        if not args.no_follow:
            run.wait(None if args.json else print_events())
        metrics = run.all_metrics() if run.done else {}
    except RemoteError as exc:
        raise CliError(str(exc)) from None
    if args.json:
        print(json.dumps({"run": run.id, "workflow": run.workflow_id, "status": run.status,
                          "error": run.error, "nodes": run.nodes, "metrics": metrics}, indent=2))
    else:
        for node, ports in metrics.items():
            for port, values in ports.items():
                print(f"metrics    {node}.{port}")
                width = max((len(k) for k in values), default=0)
                for key, value in values.items():
                    shown = f"{value:.6g}" if isinstance(value, float) else value
                    print(f"  {key:<{width}}  {shown}")
    return 0 if run.status in ("succeeded", "queued", "running") else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="designer", description="Validate, run, export and import Designer graphs."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    graph_help = "graph JSON file, a sample file, sample:<name>, or - for stdin"

    p = sub.add_parser("validate", help="check a graph and list every problem")
    p.add_argument("graph", help=graph_help)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("run", help="run a graph on this machine")
    p.add_argument("graph", help=graph_help)
    add_run_arguments(p)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("export", help="write a graph as a Python SDK script")
    p.add_argument("graph", help=graph_help)
    p.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    p.add_argument("--name", help="title for the script's docstring")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import", help="read a Python SDK script back into a graph (not run)")
    p.add_argument("code", help="Python file")
    p.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("components", help="list the component catalogue")
    p.add_argument("--json", action="store_true", help="the full catalogue as JSON")
    p.set_defaults(func=cmd_components)

    p = sub.add_parser("samples", help="list the bundled sample graphs")
    p.set_defaults(func=cmd_samples)

    p = sub.add_parser("submit", help="run a graph on a Designer server and follow it")
    p.add_argument("graph", help=graph_help)
    p.add_argument("--url", help="server (default $DESIGNER_URL or http://127.0.0.1:8000)")
    p.add_argument("--token", help="API token (default $DESIGNER_TOKEN)")
    p.add_argument("--name", help="workflow to save the graph to (created if missing)")
    p.add_argument("--workflow-id", type=int, help="save to this workflow instead")
    p.add_argument("--from-node", help="re-execute this node and everything downstream")
    p.add_argument("--to-node", help="run only what this node needs")
    p.add_argument("--seed", type=int, default=0, help="run seed (default 0)")
    p.add_argument("--no-cache", action="store_true", help="execute every node again")
    p.add_argument("--no-follow", action="store_true", help="start the run and return")
    p.add_argument("--json", action="store_true", help="print the outcome as JSON")
    p.set_defaults(func=cmd_submit)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``designer`` console script; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    return code
