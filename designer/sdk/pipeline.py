"""``Pipeline``: build a graph in code (``with Pipeline() as p:`` plus component calls), then
look at it (``p.graph()``, ``p.to_code()``), run it in this process (``p.run()``) or on a
Designer server (``p.submit()``)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from components.sdk.registry import Registry, UnknownComponent
from components.sdk.spec import ComponentSpec
from components.sdk.types import can_connect
from designer.dag.model import NODE_ID_PATTERN, EdgeSpec, GraphSpec, NodeSpec, Position
from designer.dag.naming import auto_node_id
from designer.sdk.functions import bind_call, check_params, jsonable
from designer.sdk.handles import NodeHandle, Output, as_output

if TYPE_CHECKING:
    from designer.dag.plan import ExecutionPlan
    from designer.sdk.remote import RemoteRun

_ACTIVE: ContextVar[tuple[Pipeline, ...]] = ContextVar("designer_sdk_pipelines", default=())
_NODE_ID = re.compile(NODE_ID_PATTERN)


def current_pipeline(component_id: str = "a component") -> Pipeline:
    """The innermost ``with Pipeline()`` block; RuntimeError outside one."""
    active = _ACTIVE.get()
    if not active:
        raise RuntimeError(
            f"{component_id}() adds a node to a pipeline: call it inside "
            "`with Pipeline() as pipeline:`"
        )
    return active[-1]


@dataclass
class _Node:
    id: str
    spec: ComponentSpec
    params: dict[str, Any]
    label: str | None
    inputs: dict[str, list[Output]]
    position: Position = field(default_factory=Position)


class Pipeline:
    """A graph under construction. Component functions called inside ``with`` add nodes to it.

    >>> from designer.sdk import Pipeline
    >>> from designer.sdk.components import datasets, preprocessing
    >>> with Pipeline() as p:
    ...     iris = datasets.iris()
    ...     split = preprocessing.train_test_split(iris, test_size=0.3)
    >>> [n.id for n in p.graph().nodes]
    ['iris', 'train_test_split']
    """

    def __init__(self, registry: Registry | None = None) -> None:
        if registry is None:
            from components.library import load

            registry = load()
        self.registry = registry
        self._nodes: dict[str, _Node] = {}
        self._id_suffixes: dict[str, int] = {}  # nodes are never removed: see auto_node_id
        self._tokens: list[Token[tuple[Pipeline, ...]]] = []

    # the with block -----------------------------------------------------------------------
    def __enter__(self) -> Self:
        self._tokens.append(_ACTIVE.set((*_ACTIVE.get(), self)))
        return self

    def __exit__(self, *exc: object) -> None:
        _ACTIVE.reset(self._tokens.pop())

    # building -----------------------------------------------------------------------------
    def add_node(self, component_id: str, *args: Any, **kwargs: Any) -> NodeHandle:
        """Add a ``component_id`` node; what every SDK component function calls."""
        version = kwargs.get("version")
        if version is not None and (type(version) is not int or version < 1):
            raise TypeError(f"{component_id}(): version must be a positive int, got {version!r}")
        try:
            spec = self.registry.get(component_id, version)
        except UnknownComponent as exc:
            raise ValueError(str(exc)) from None
        node_id = self._node_id(spec, kwargs.get("id"))
        label = kwargs.get("label")
        if label is not None and (not isinstance(label, str) or len(label) > 200):
            raise TypeError(f"node {node_id}: label must be a str of at most 200 characters")
        inputs, params = bind_call(spec, args, kwargs, node_id)
        edges = self._edges(spec, node_id, inputs)
        json_params = {k: jsonable(v, node_id, k) for k, v in params.items()}
        check_params(spec, node_id, json_params)
        self._nodes[node_id] = _Node(node_id, spec, json_params, label, edges)
        outputs = {p.name: p.type for p in spec.outputs}
        return NodeHandle(self, node_id, spec.id, spec.version, outputs)

    def _node_id(self, spec: ComponentSpec, given: Any) -> str:
        if given is None:
            return auto_node_id(spec.name, self._nodes, self._id_suffixes)
        if not isinstance(given, str) or not _NODE_ID.fullmatch(given):
            raise ValueError(
                f"{spec.id}(): id {given!r} is not a valid node id; use a letter or _ then up to "
                "63 letters, digits, _ or -"
            )
        if given in self._nodes:
            raise ValueError(f"{spec.id}(): node id {given!r} is already used; choose another")
        return given

    def _edges(
        self, spec: ComponentSpec, node_id: str, inputs: dict[str, Any]
    ) -> dict[str, list[Output]]:
        edges: dict[str, list[Output]] = {}
        for port in spec.inputs:
            value = inputs.get(port.name)
            if value is None:
                continue
            values = value if port.many and isinstance(value, (list, tuple)) else [value]
            outs = [as_output(v, node_id=node_id, port=port.name, pipeline=self) for v in values]
            for out in outs:
                if not can_connect(out.type, port.type):
                    raise TypeError(
                        f"node {node_id} input {port.name!r} takes a {port.type}, but "
                        f"{out.node.id}.{out.port} is a {out.type}"
                    )
            if outs:
                edges[port.name] = outs
        return edges

    def layout(self, positions: Mapping[str | NodeHandle, Sequence[float]]) -> None:
        """Set canvas positions: ``p.layout({"iris": (0, 0), split: (240, 0)})``."""
        for key, xy in positions.items():
            node_id = key.id if isinstance(key, NodeHandle) else key
            if node_id not in self._nodes:
                raise ValueError(
                    f"layout: no node {node_id!r}; nodes are: {', '.join(self._nodes) or 'none'}"
                )
            ok = isinstance(xy, (tuple, list)) and len(xy) == 2
            if not ok or not all(_is_number(v) for v in xy):
                raise TypeError(f"layout: position of {node_id!r} must be (x, y), got {xy!r}")
            self._nodes[node_id].position = Position(x=float(xy[0]), y=float(xy[1]))

    # views --------------------------------------------------------------------------------
    def __getitem__(self, node_id: str) -> NodeHandle:
        node = self._nodes[node_id]
        outputs = {p.name: p.type for p in node.spec.outputs}
        return NodeHandle(self, node.id, node.spec.id, node.spec.version, outputs)

    def __len__(self) -> int:
        return len(self._nodes)

    def raw_graph(self) -> GraphSpec:
        """The graph as built, params exactly as given (see ``graph()``)."""
        nodes = tuple(
            NodeSpec(
                id=n.id,
                component=n.spec.id,
                version=n.spec.version,
                params=n.params,
                label=n.label,
                position=n.position,
            )
            for n in self._nodes.values()
        )
        edges = tuple(
            EdgeSpec(source=o.node.id, source_port=o.port, target=n.id, target_port=port)
            for n in self._nodes.values()
            for port, outs in n.inputs.items()
            for o in outs
        )
        return GraphSpec(nodes=nodes, edges=edges)

    def graph(self) -> GraphSpec:
        """The graph document (normalized: params equal to their defaults left out)."""
        from designer.dag.validate import normalize_graph

        return normalize_graph(self.raw_graph(), self.registry)

    def to_code(self, name: str | None = None) -> str:
        """This pipeline as a runnable Python script (``designer.dag.export.graph_to_code``)."""
        from designer.dag.export import graph_to_code

        return graph_to_code(self.graph(), self.registry, name=name)

    def plan(
        self,
        *,
        seed: int = 0,
        from_node: str | NodeHandle | None = None,
        to_node: str | NodeHandle | None = None,
    ) -> ExecutionPlan:
        """Compile to an execution plan; raises ``GraphInvalid`` listing every problem."""
        from designer.dag.compile import compile_graph

        return compile_graph(
            self.graph(),
            self.registry,
            seed=seed,
            from_node=_node_id_of(from_node),
            to_node=_node_id_of(to_node),
        )

    # running ------------------------------------------------------------------------------
    def run(
        self,
        *,
        seed: int = 0,
        use_cache: bool = True,
        store: str | Path | None = None,
        data_dir: str | Path | None = None,
        workers: int = 1,
        from_node: str | NodeHandle | None = None,
        to_node: str | NodeHandle | None = None,
        on_event: Any = None,
    ) -> Any:
        """Run in this process with ``LocalRunner``; returns its ``RunResult``.

        ``store`` is the artifact folder (default ``./.designer/artifacts``), ``data_dir`` the
        folder file components may read and write. Results are cached by content, so a second
        run only executes what changed.
        """
        from designer.dag.local import run_plan

        plan = self.plan(seed=seed, from_node=from_node, to_node=to_node)
        return run_plan(
            plan,
            self.registry,
            use_cache=use_cache,
            store=store,
            data_dir=data_dir,
            workers=workers,
            on_event=on_event,
        )

    def submit(
        self,
        url: str | None = None,
        token: str | None = None,
        *,
        name: str | None = None,
        workflow_id: int | None = None,
        from_node: str | NodeHandle | None = None,
        to_node: str | NodeHandle | None = None,
        use_cache: bool = True,
        follow: bool = True,
        on_event: Callable[[dict[str, Any]], None] | None = None,
        seed: int = 0,
        timeout: float | None = None,
    ) -> RemoteRun:
        """Run on a Designer server; returns a ``RemoteRun`` (``status``, ``nodes``,
        ``metrics(node_id)``, ``wait()``, ``cancel()``).

        Saves the graph to workflow ``workflow_id``, or to your workflow called ``name``
        (created if missing; default "SDK pipeline"), then starts a run. ``url``/``token``
        default to ``DESIGNER_URL``/``DESIGNER_TOKEN``. With ``follow`` it waits for the end,
        passing each event to ``on_event`` (default: print node results), for at most
        ``timeout`` seconds.
        """
        from designer.sdk.remote import Client, print_events, submit_graph

        run = submit_graph(
            self.graph().to_dict(),
            Client(url, token),
            name=name,
            workflow_id=workflow_id,
            from_node=_node_id_of(from_node),
            to_node=_node_id_of(to_node),
            use_cache=use_cache,
            seed=seed,
        )
        if follow:
            run.wait(on_event if on_event is not None else print_events(), timeout=timeout)
        return run

    def main(self, argv: Sequence[str] | None = None) -> Any:
        """Command-line entry point for scripts: ``python script.py [--seed N] [--json] ...``.

        Runs the pipeline, prints each node's status and metrics (JSON with ``--json``) and
        exits with status 1 when the run failed, 2 when the graph is invalid.
        """
        from designer.dag.local import main_for_graph

        code = main_for_graph(self.graph(), self.registry, argv)
        if code:
            raise SystemExit(code)


def _node_id_of(node: str | NodeHandle | None) -> str | None:
    return node.id if isinstance(node, NodeHandle) else node


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
