"""Graph documents for the server tests (plain dicts, as a client would send them)."""

from __future__ import annotations

import copy
from typing import Any

from designer.samples import load_sample


def iris_graph() -> dict[str, Any]:
    """The bundled iris sample: 8 valid nodes."""
    return copy.deepcopy(load_sample("iris_logistic_regression")[2].to_dict())


def node(node_id: str, component: str, **params: Any) -> dict[str, Any]:
    return {"id": node_id, "component": component, "version": 1, "params": params,
            "position": {"x": 0, "y": 0}}


def edge(source: str, source_port: str, target: str, target_port: str) -> dict[str, Any]:
    return {"source": source, "source_port": source_port, "target": target,
            "target_port": target_port}


def graph(nodes: list[dict[str, Any]], edges: list[dict[str, Any]] | None = None
          ) -> dict[str, Any]:
    return {"schema_version": 1, "nodes": nodes, "edges": edges or []}


def small_graph() -> dict[str, Any]:
    """iris -> select_columns: valid and runnable, two nodes."""
    return graph(
        [node("iris", "datasets.iris"),
         node("select", "preprocessing.select_columns", columns=["sepal_length_cm", "target"])],
        [edge("iris", "table", "select", "table")],
    )


def unfinished_graph() -> dict[str, Any]:
    """A split with nothing connected to it yet: saves (autosave), cannot run."""
    return graph([node("iris", "datasets.iris"), node("split", "preprocessing.train_test_split")])
