"""Benchmark: validate and compile random valid graphs of real catalogue components.

Run: ``.venv/bin/python bench/bench_compile.py [--repeats 5] [--sizes 1000,10000]``. Graphs are
layered DAGs: iris sources, then standard scalers (1 edge), apply_transformer (2 edges) and
concat_rows (3 edges) reading from recent nodes, about 2 edges per node. Components another
engineer has not finished yet are skipped. Prints median / min wall-clock milliseconds per phase
and the min CPU time of this process (steadier on a machine shared with other work).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from components.library import load  # noqa: E402
from components.sdk.registry import Registry  # noqa: E402
from designer.dag.compile import compile_graph  # noqa: E402
from designer.dag.model import GraphSpec  # noqa: E402
from designer.dag.validate import validate_graph  # noqa: E402

WINDOW = 50  # edges come from the last WINDOW nodes, like a wide layered pipeline


def make_graph(registry: Registry, n_nodes: int, seed: int = 0) -> dict[str, Any]:
    """A random valid graph document with ``n_nodes`` nodes and about 2 edges per node."""
    rng = random.Random(seed)
    have = {s.id for s in registry.latest()}
    kinds = ["scale"]
    if "preprocessing.apply_transformer" in have:
        kinds.append("apply")
    if "preprocessing.concat_rows" in have:
        kinds.append("concat")
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, str]] = []
    tables: list[str] = []  # nodes with a 'table' output
    scalers: list[str] = []  # nodes with a 'transformer' output

    def add(kind: str, comp: str) -> str:
        nid = f"{kind}_{len(nodes):06d}"
        nodes.append({"id": nid, "component": comp, "version": 1, "params": {},
                      "position": {"x": 200.0 * (len(nodes) // 20), "y": 80.0 * (len(nodes) % 20)}})
        tables.append(nid)
        return nid

    def link(source: str, port: str, target: str, target_port: str) -> None:
        edges.append({"source": source, "source_port": port, "target": target,
                      "target_port": target_port})

    for _ in range(max(2, n_nodes // 100)):
        add("iris", "datasets.iris")
    while len(nodes) < n_nodes:
        kind = rng.choice(kinds)
        recent = tables[-WINDOW:]
        if kind == "scale" or not scalers:
            src = rng.choice(recent)
            nid = add("scale", "preprocessing.standard_scaler")
            scalers.append(nid)
            link(src, "table", nid, "table")
        elif kind == "apply":
            fitted, src = rng.choice(scalers[-WINDOW:]), rng.choice(recent)
            nid = add("apply", "preprocessing.apply_transformer")
            link(fitted, "transformer", nid, "transformer")
            link(src, "table", nid, "table")
        else:
            nid = add("concat", "preprocessing.concat_rows")
            for src in rng.sample(recent, min(3, len(recent))):
                link(src, "table", nid, "tables")
    return {"schema_version": 1, "nodes": nodes, "edges": edges}


def timed(fn: Callable[[], object], repeats: int) -> tuple[float, float, float]:
    """(median wall ms, min wall ms, min CPU ms) over ``repeats`` calls."""
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    return statistics.median(wall), min(wall), min(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sizes", default="1000,10000")
    args = parser.parse_args()
    registry = load()
    for size in (int(s) for s in args.sizes.split(",")):
        doc = make_graph(registry, size)
        graph = GraphSpec.model_validate(doc)
        errors = validate_graph(graph, registry)
        assert not errors, f"the benchmark graph should be valid: {errors[:3]}"
        phases: dict[str, Callable[[], object]] = {
            "parse": lambda: GraphSpec.model_validate(doc),
            "validate": lambda: validate_graph(graph, registry),
            "compile": lambda: compile_graph(graph, registry, validate=False),
            "total": lambda: compile_graph(graph, registry),
        }
        print(f"{len(graph.nodes)} nodes, {len(graph.edges)} edges, {args.repeats} repeats")
        for name, fn in phases.items():
            fn()  # warm up (first schema calls load the bundled data sets)
            median, best, cpu = timed(fn, args.repeats)
            print(f"  {name:9s} median {median:8.1f} ms   min {best:8.1f} ms   "
                  f"min cpu {cpu:8.1f} ms")


if __name__ == "__main__":
    main()
