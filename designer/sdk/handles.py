"""What SDK component calls return: a ``NodeHandle`` whose output ports are attributes
(``split.train``), each an ``Output`` reference that can be passed as another node's input."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from designer.sdk.pipeline import Pipeline


class Output:
    """One output port of one node: what an edge starts from."""

    __slots__ = ("node", "port", "type")

    def __init__(self, node: NodeHandle, port: str, type: str) -> None:
        self.node = node
        self.port = port
        self.type = type  # the wire type name, e.g. "table"

    def __repr__(self) -> str:
        return f"<Output {self.node.id}.{self.port}: {self.type}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Output) and other.node is self.node and other.port == self.port

    def __hash__(self) -> int:
        return hash((id(self.node), self.port))


class NodeHandle:
    """A node added to a pipeline. Output ports are attributes: ``split.train``, ``model.model``.

    A node with a single output may be passed directly wherever an input is expected.
    """

    __slots__ = ("_component", "_id", "_outputs", "_pipeline", "_version")

    def __init__(
        self,
        pipeline: Pipeline,
        node_id: str,
        component: str,
        version: int,
        outputs: dict[str, str],
    ) -> None:
        self._pipeline = pipeline
        self._id = node_id
        self._component = component
        self._version = version
        self._outputs = dict(outputs)  # port name -> wire type

    @property
    def id(self) -> str:
        """The node id in the graph (and the step id in runs and results)."""
        return self._id

    @property
    def component(self) -> str:
        return self._component

    @property
    def version(self) -> int:
        return self._version

    @property
    def outputs(self) -> tuple[str, ...]:
        """The output port names, in declaration order."""
        return tuple(self._outputs)

    @property
    def pipeline(self) -> Pipeline:
        return self._pipeline

    def output(self, port: str) -> Output:
        """The output ``port`` of this node; ``AttributeError`` listing the ports if unknown."""
        wire = self._outputs.get(port)
        if wire is None:
            raise AttributeError(
                f"node {self._id} ({self._component}) has no output {port!r}; "
                f"its outputs are: {', '.join(self._outputs)}"
            )
        return Output(self, port, wire)

    def single_output(self) -> Output:
        """The only output, for passing the handle itself as an input."""
        if len(self._outputs) != 1:
            names = ", ".join(f"{self._id}.{p}" for p in self._outputs)
            raise TypeError(
                f"node {self._id} ({self._component}) has several outputs; "
                f"pass one of them: {names}"
            )
        return self.output(next(iter(self._outputs)))

    def __getattr__(self, name: str) -> Output:
        if name.startswith("__") or name in NodeHandle.__slots__:
            raise AttributeError(name)
        return self.output(name)

    def __getitem__(self, port: str) -> Output:
        return self.output(port)

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *self._outputs})

    def __repr__(self) -> str:
        ports = ", ".join(self._outputs)
        return f"<NodeHandle {self._id!r} {self._component} v{self._version} -> {ports}>"


def as_output(value: Any, *, node_id: str, port: str, pipeline: Pipeline) -> Output:
    """Check that ``value`` may feed input ``port`` of node ``node_id`` and return its Output."""
    if isinstance(value, NodeHandle):
        value = value.single_output()
    if not isinstance(value, Output):
        raise TypeError(
            f"node {node_id} input {port!r}: expected the output of another node "
            f"(for example split.train), got {type(value).__name__} {value!r:.60}"
        )
    if value.node.pipeline is not pipeline:
        raise ValueError(
            f"node {node_id} input {port!r}: {value.node.id}.{value.port} belongs to another "
            "Pipeline; build connected nodes inside the same `with Pipeline()` block"
        )
    return value
