"""Frozen descriptions of components and their ports: what the registry, compiler and canvas see.

``ComponentSpec`` is built once by the ``@component`` decorator and never changes. ``describe()``
turns it into the JSON the palette shows; ``call()`` invokes the underlying function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from components.sdk.params import column_params, defaults_of
from components.sdk.schema import TableSchema

SchemaFn = Callable[[dict[str, TableSchema | None], Any], dict[str, TableSchema | None]]


@dataclass(frozen=True)
class PortSpec:
    """One input or output. ``many`` inputs take any number of edges (kept in edge order)."""

    name: str
    type: str
    many: bool = False
    optional: bool = False
    description: str = ""

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "many": self.many,
            "optional": self.optional,
            "description": self.description,
        }


@dataclass(frozen=True)
class ComponentSpec:
    """Everything known about one (id, version) of a component."""

    id: str
    version: int
    title: str
    category: str
    description: str
    doc: str
    inputs: tuple[PortSpec, ...]
    outputs: tuple[PortSpec, ...]
    params_model: type[BaseModel]
    func: Callable[..., Any] = field(repr=False, compare=False)
    tags: tuple[str, ...] = ()
    resources: str = "cpu"
    deterministic: bool = True
    cacheable: bool = True
    replaces: tuple[str, ...] = ()
    deprecated: bool = False
    schema_fn: SchemaFn | None = field(default=None, repr=False, compare=False)
    single_output: bool = False  # the function returns the value itself, not a NamedTuple
    takes_params: bool = True
    takes_ctx: bool = True
    example_params: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def key(self) -> tuple[str, int]:
        return (self.id, self.version)

    @property
    def name(self) -> str:
        """The snake-case function name: the part of the id after the category."""
        return self.id.split(".", 1)[1]

    @property
    def namespace(self) -> str:
        """The id's category part (``preprocessing`` in ``preprocessing.standard_scaler``)."""
        return self.id.split(".", 1)[0]

    def input(self, name: str) -> PortSpec | None:
        return next((p for p in self.inputs if p.name == name), None)

    def output(self, name: str) -> PortSpec | None:
        return next((p for p in self.outputs if p.name == name), None)

    def param_defaults(self) -> dict[str, Any]:
        return defaults_of(self.params_model)

    def describe(self) -> dict[str, Any]:
        """JSON for the palette and the canvas inspector."""
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "category": self.category,
            "description": self.description,
            "doc": self.doc,
            "tags": list(self.tags),
            "resources": self.resources,
            "deterministic": self.deterministic,
            "cacheable": self.cacheable,
            "replaces": list(self.replaces),
            "deprecated": self.deprecated,
            "inputs": [p.describe() for p in self.inputs],
            "outputs": [p.describe() for p in self.outputs],
            "params_schema": self.params_model.model_json_schema(),
            "column_params": column_params(self.params_model),
            "infers_schema": self.schema_fn is not None,
        }

    def call(self, inputs: dict[str, Any], params: BaseModel, ctx: Any) -> dict[str, Any]:
        """Run the function; return outputs keyed by port name."""
        kwargs: dict[str, Any] = dict(inputs)
        if self.takes_params:
            kwargs["params"] = params
        if self.takes_ctx:
            kwargs["ctx"] = ctx
        result = self.func(**kwargs)
        if self.single_output:
            return {self.outputs[0].name: result}
        if not isinstance(result, tuple) or not hasattr(result, "_fields"):
            raise TypeError(
                f"{self.id} must return its NamedTuple of outputs, got {type(result).__name__}"
            )
        return dict(zip(result._fields, result, strict=True))
