"""Graph -> Python: ``graph_to_code`` writes a graph as a runnable, readable SDK script.

One statement per node in topological order (ties by node id), variables named after labels,
only non-default params, ``id=`` only where the SDK's automatic id would differ, so running the
script reproduces the graph's node ids, cache keys and results. ``importer.code_to_graph``
reads it back to the same graph. Output is stable under ``ruff format`` (line length 100).
"""

from __future__ import annotations

import keyword
import math
from collections import defaultdict
from typing import Any

from components.sdk.registry import Registry
from components.sdk.spec import ComponentSpec
from designer.dag.model import GraphSpec, NodeSpec
from designer.dag.naming import HANDLE_ATTRIBUTES, auto_node_id, variable_name
from designer.dag.topo import topo_order
from designer.dag.validate import normalize_graph

LINE_LIMIT = 100
INDENT = 4


class ExportError(ValueError):
    """The graph cannot be written as code (unknown component, dangling edge, cycle ...)."""


# literals ----------------------------------------------------------------------------------
def py_str(text: str) -> str:
    """A Python string literal for ``text``, quoted as ``ruff format`` would: double quotes
    unless the text holds more double than single quotes."""
    literal = repr(text)  # single quotes unless the text has ' and no "
    if text.count('"') > text.count("'"):
        return literal  # it contains ", so repr chose single quotes
    if literal.startswith("'"):
        body = literal[1:-1].replace("\\'", "'").replace('"', '\\"')
        literal = f'"{body}"'
    return literal


def py_number(value: float) -> str:
    """Python literal of a number, exact (``repr``); params keep their JSON type (1 vs 1.0)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ExportError(f"{value} cannot be written as a Python literal; use a finite number")
    return repr(value)


def _flat(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, (int, float)):
        return py_number(value)
    if isinstance(value, str):
        return py_str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_flat(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_str(str(k))}: {_flat(v)}" for k, v in value.items()) + "}"
    raise ExportError(f"{type(value).__name__} {value!r} is not a JSON value")


def literal(value: Any, used: int = 0, indent: int = 0, tail: int = 0) -> str:
    """``value`` as Python source; lists and dicts that do not fit in the line (``used``
    characters before it, ``tail`` after) are split one item per line with trailing commas."""
    flat = _flat(value)
    if used + len(flat) + tail <= LINE_LIMIT or not isinstance(value, (list, dict)) or not value:
        return flat
    inner = indent + INDENT
    if isinstance(value, list):
        items = [literal(v, inner, inner, 1) for v in value]
        open_, close = "[", "]"
    else:
        items = []
        for k, v in value.items():
            key = f"{py_str(str(k))}: "
            items.append(key + literal(v, inner + len(key), inner, 1))
        open_, close = "{", "}"
    body = "".join(f"{' ' * inner}{item},\n" for item in items)
    return f"{open_}\n{body}{' ' * indent}{close}"


def call(head: str, args: list[tuple[str, Any] | str], indent: int) -> str:
    """``head(arg, key=value, ...)`` on one line when it fits, else one argument per line.

    ``args`` items are ready source text (``str``) or ``(keyword, python value)`` pairs.
    """
    flat_args = [a if isinstance(a, str) else f"{a[0]}={_flat(a[1])}" for a in args]
    one_line = f"{head}({', '.join(flat_args)})"
    if indent + len(one_line) <= LINE_LIMIT:
        return one_line
    inner = indent + INDENT
    lines = []
    for arg in args:
        if isinstance(arg, str):
            lines.append(arg)
        else:
            prefix = f"{arg[0]}="
            lines.append(prefix + literal(arg[1], inner + len(prefix), inner, 1))
    body = "".join(f"{' ' * inner}{line},\n" for line in lines)
    return f"{head}(\n{body}{' ' * indent})"


def _position(value: float) -> str:
    negative_zero = value == 0 and math.copysign(1.0, value) < 0
    if value.is_integer() and abs(value) < 1e15 and not negative_zero:
        return str(int(value))
    return py_number(value)


# the graph ---------------------------------------------------------------------------------
def _specs(graph: GraphSpec, registry: Registry) -> dict[str, ComponentSpec]:
    specs: dict[str, ComponentSpec] = {}
    for node in graph.nodes:
        spec = registry.find(node.component, node.version)
        if spec is None:
            raise ExportError(
                f"node {node.id}: unknown component {node.component!r} version {node.version}; "
                "fix the graph (designer validate) before exporting"
            )
        specs[node.id] = spec
    for edge in graph.edges:
        for node_id, port, side in ((edge.source, edge.source_port, "outputs"),
                                    (edge.target, edge.target_port, "inputs")):  # fmt: skip
            if node_id not in specs:
                raise ExportError(f"an edge refers to node {node_id!r}, which does not exist")
            if not any(p.name == port for p in getattr(specs[node_id], side)):
                raise ExportError(f"node {node_id} has no {side[:-1]} port {port!r}")
    return specs


def _order(graph: GraphSpec) -> list[NodeSpec]:
    succ: dict[str, list[str]] = {n.id: [] for n in graph.nodes}
    for edge in graph.edges:
        succ[edge.source].append(edge.target)
    order, blocked = topo_order(succ, succ)
    if blocked:
        raise ExportError(f"the graph has a cycle through {', '.join(blocked)}; remove an edge")
    nodes = graph.node_map()
    return [nodes[n] for n in order]


def _reference(variable: str, port: str) -> str:
    if port.isidentifier() and not keyword.iskeyword(port) and port not in HANDLE_ATTRIBUTES:
        return f"{variable}.{port}"
    return f"{variable}[{py_str(port)}]"


def _docstring(name: str | None) -> list[str]:
    title = " ".join((name or "A Designer pipeline").split()).replace("\\", "\\\\")
    title = title.replace('"', '\\"')
    if not title.endswith("."):
        title += "."
    return [
        f'"""{title}',
        "",
        "Exported from Designer. Run it with ``python <this file>`` (``--help`` lists options such",
        "as ``--seed`` and ``--json``), or turn it back into a graph with ``designer import``.",
        '"""',
    ]


def graph_to_code(graph: GraphSpec, registry: Registry, *, name: str | None = None) -> str:
    """The graph as an SDK script; ``name`` becomes the first line of its docstring."""
    graph = normalize_graph(graph, registry)
    specs = _specs(graph, registry)
    order = _order(graph)
    inputs: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for edge in graph.edges:
        inputs[edge.target][edge.target_port].append((edge.source, edge.source_port))

    variables: dict[str, str] = {}
    used_variables: set[str] = set()
    used_ids: set[str] = set()
    variable_suffixes: dict[str, int] = {}
    id_suffixes: dict[str, int] = {}
    body: list[str] = []
    pad = " " * INDENT
    for node in order:
        spec = specs[node.id]
        variable = variable_name(node.label, spec.name, used_variables, variable_suffixes)
        variables[node.id] = variable
        used_variables.add(variable)
        args: list[tuple[str, Any] | str] = []
        for port in spec.inputs:
            refs = [_reference(variables[s], p) for s, p in inputs[node.id].get(port.name, [])]
            if refs:
                value = f"[{', '.join(refs)}]" if port.many else refs[0]
                args.append(f"{port.name}={value}")
        known = list(spec.params_model.model_fields)
        for key in [k for k in known if k in node.params] + sorted(set(node.params) - set(known)):
            args.append((key, node.params[key]))
        if node.id != auto_node_id(spec.name, used_ids, id_suffixes):
            args.append(("id", node.id))
        if node.label is not None:
            args.append(("label", node.label))
        if spec.version != registry.latest_version(spec.id):
            args.append(("version", spec.version))
        used_ids.add(node.id)
        head = f"{variable} = {spec.namespace}.{spec.name}"
        body.append(pad + call(head, args, INDENT))

    categories = sorted({s.namespace for s in specs.values()})
    lines = [*_docstring(name), "", "from designer.sdk import Pipeline"]
    if categories:
        imports = f"from designer.sdk.components import {', '.join(categories)}"
        if len(imports) > LINE_LIMIT:
            names = "".join(f"{pad}{c},\n" for c in categories)
            imports = f"from designer.sdk.components import (\n{names})"
        lines.append(imports)
    lines += ["", "with Pipeline() as pipeline:", *(body or [pad + "pass"]), ""]
    positions = {n.id: (n.position.x, n.position.y) for n in order}
    if any(x or y for x, y in positions.values()):
        layout = {k: _LayoutPair(x, y) for k, (x, y) in positions.items()}
        lines += [_layout_call(layout), ""]
    lines += ['if __name__ == "__main__":', f"{pad}pipeline.main()", ""]
    return "\n".join(lines)


class _LayoutPair:
    def __init__(self, x: float, y: float) -> None:
        self.text = f"({_position(x)}, {_position(y)})"


def _layout_call(layout: dict[str, _LayoutPair]) -> str:
    items = [f"{py_str(k)}: {v.text}" for k, v in layout.items()]
    one_line = "pipeline.layout({" + ", ".join(items) + "})"
    if len(one_line) <= LINE_LIMIT:
        return one_line
    inner = " " * (2 * INDENT)
    body = "".join(f"{inner}{item},\n" for item in items)
    return f"pipeline.layout(\n{' ' * INDENT}{{\n{body}{' ' * INDENT}}}\n)"
