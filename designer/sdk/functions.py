"""Builds one Python function per catalogue component, with a real signature and docstring.

Calling such a function inside ``with Pipeline():`` adds a node (``Pipeline.add_node``). Inputs
come first (positional or keyword), then the parameters as keyword-only arguments with their
defaults, then the reserved ``id=``, ``label=`` and ``version=``. Params are checked at once,
exactly as graph validation checks them, with errors naming the node and the param.
"""

from __future__ import annotations

import functools
import inspect
import math
import operator
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError
from pydantic.fields import FieldInfo

from components.sdk.registry import Registry
from components.sdk.spec import ComponentSpec
from designer.dag.params_check import humanize, loc_text
from designer.sdk.handles import NodeHandle, Output

RESERVED_KWARGS = ("id", "label", "version")


class PortHint:
    """A readable annotation for input ports in signatures: ``Table``, ``list[Table]`` ...

    Any output of a matching type (``node.port``) or a single-output node handle is accepted.
    """

    def __init__(self, wire: str, *, many: bool = False, optional: bool = False) -> None:
        self.wire, self.many, self.optional = wire, many, optional

    def __repr__(self) -> str:
        text = "Any" if self.wire == "any" else self.wire.capitalize()
        if self.many:
            text = f"list[{text}]"
        return f"{text} | None" if self.optional else text


def plain_annotation(tp: Any) -> Any:
    """``tp`` without pydantic's ``Annotated`` metadata, so signatures read ``float | None``."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is typing.Annotated:
        return plain_annotation(args[0])
    if origin in (typing.Union, types.UnionType):
        return functools.reduce(operator.or_, [plain_annotation(a) for a in args])
    if origin is list and args:
        return list[plain_annotation(args[0])]  # type: ignore[misc]
    return tp


def _params_of(spec: ComponentSpec) -> dict[str, FieldInfo]:
    return dict(spec.params_model.model_fields)


def component_signature(spec: ComponentSpec) -> inspect.Signature:
    """``fn(inputs..., *, params..., id=None, label=None, version=None) -> NodeHandle``."""
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    parameters: list[inspect.Parameter] = []
    for port in spec.inputs:
        hint = PortHint(port.type, many=port.many, optional=port.optional)
        if port.optional:
            default: Any = [] if port.many else None
            parameters.append(inspect.Parameter(port.name, kind, default=default, annotation=hint))
            kind = inspect.Parameter.KEYWORD_ONLY  # a required input cannot follow an optional one
        else:
            parameters.append(inspect.Parameter(port.name, kind, annotation=hint))
    keyword = inspect.Parameter.KEYWORD_ONLY
    for name, info in _params_of(spec).items():
        default = (
            inspect.Parameter.empty
            if info.is_required()
            else info.get_default(call_default_factory=True)
        )
        parameters.append(
            inspect.Parameter(
                name, keyword, default=default, annotation=plain_annotation(info.annotation)
            )
        )
    parameters += [
        inspect.Parameter("id", keyword, default=None, annotation=str | None),
        inspect.Parameter("label", keyword, default=None, annotation=str | None),
        inspect.Parameter("version", keyword, default=None, annotation=int | None),
    ]
    return inspect.Signature(parameters, return_annotation=NodeHandle)


def component_doc(spec: ComponentSpec) -> str:
    """The component docstring plus sections listing inputs, outputs and parameters."""
    lines = [spec.doc or spec.title, "", f"Component ``{spec.id}`` version {spec.version}."]
    if spec.inputs:
        lines += ["", "Inputs:"]
        for p in spec.inputs:
            extra = ", many" if p.many else ", optional" if p.optional else ""
            lines.append(
                f"    {p.name} ({p.type}{extra}){': ' + p.description if p.description else ''}"
            )
    lines += ["", "Outputs (attributes of the returned node):"]
    for p in spec.outputs:
        lines.append(f"    {p.name} ({p.type}){': ' + p.description if p.description else ''}")
    params = _params_of(spec)
    if params:
        lines += ["", "Parameters:"]
        for name, info in params.items():
            default = (
                "required"
                if info.is_required()
                else f"default {info.get_default(call_default_factory=True)!r}"
            )
            desc = f": {info.description}" if info.description else ""
            lines.append(f"    {name} ({default}){desc}")
    lines += [
        "",
        "Also: id= (node id; default the component name, then name_2 ...), label= (shown on",
        "the canvas), version= (an older version of the component).",
    ]
    return "\n".join(lines)


def make_component_function(spec: ComponentSpec) -> Callable[..., NodeHandle]:
    """A function that adds a ``spec.id`` node to the current pipeline and returns its handle."""
    component_id = spec.id

    def add(*args: Any, **kwargs: Any) -> NodeHandle:
        from designer.sdk.pipeline import current_pipeline

        return current_pipeline(component_id).add_node(component_id, *args, **kwargs)

    add.__name__ = add.__qualname__ = spec.name
    add.__module__ = f"designer.sdk.components.{spec.namespace}"
    add.__doc__ = component_doc(spec)
    add.__signature__ = component_signature(spec)  # type: ignore[attr-defined]
    add.component_id = component_id  # type: ignore[attr-defined]
    return add


def bind_call(
    spec: ComponentSpec, args: tuple[Any, ...], kwargs: dict[str, Any], node_name: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split a call into ``(inputs, params)``; TypeError naming the node for bad arguments."""
    signature = component_signature(spec)
    known = set(signature.parameters)
    unknown = [k for k in kwargs if k not in known]
    if unknown:
        raise TypeError(unknown_argument_message(spec, node_name, unknown[0]))
    try:
        bound = signature.bind(*args, **kwargs)
    except TypeError as exc:
        raise TypeError(f"node {node_name} ({spec.id}): {exc}") from None
    input_names = {p.name for p in spec.inputs}
    inputs = {k: v for k, v in bound.arguments.items() if k in input_names}
    params = {
        k: v
        for k, v in bound.arguments.items()
        if k not in input_names and k not in RESERVED_KWARGS
    }
    return inputs, params


def unknown_argument_message(spec: ComponentSpec, node_name: str, name: str) -> str:
    import difflib

    params = list(_params_of(spec))
    ports = [p.name for p in spec.inputs]
    close = difflib.get_close_matches(name, params + ports, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else "."
    return (
        f"node {node_name} ({spec.id}) has no param or input {name!r}{hint} "
        f"Inputs: {', '.join(ports) or 'none'}; params: {', '.join(params) or 'none'}"
    )


def namespaces(registry: Registry) -> dict[str, dict[str, ComponentSpec]]:
    """Latest spec of every component, grouped by the id's category part."""
    grouped: dict[str, dict[str, ComponentSpec]] = {}
    for spec in registry.latest():
        grouped.setdefault(spec.namespace, {})[spec.name] = spec
    return grouped


def jsonable(value: Any, node_id: str, param: str) -> Any:
    """A JSON-compatible copy of a param value (tuples become lists); TypeError otherwise."""
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"node {node_id} param {param}: must be a finite number (got {value})")
        return float(value)
    if isinstance(value, (list, tuple)):
        return [jsonable(v, node_id, param) for v in value]
    if isinstance(value, Mapping) and all(isinstance(k, str) for k in value):
        return {k: jsonable(v, node_id, param) for k, v in value.items()}
    if isinstance(value, (NodeHandle, Output)):
        raise TypeError(
            f"node {node_id} param {param}: takes a value, not a node output; "
            "connect outputs to the node's inputs instead"
        )
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item) and type(value).__module__ == "numpy":
        return jsonable(item(), node_id, param)
    raise TypeError(
        f"node {node_id} param {param}: {type(value).__name__} is not allowed; use numbers, "
        "strings, booleans, None, lists or dicts"
    )


def check_params(spec: ComponentSpec, node_id: str, params: dict[str, Any]) -> None:
    """Validate ``params`` as graph validation does; the first problem raises ``ValueError``
    (``TypeError`` for a wrong type) such as ``node n2 param test_size: must be < 1 (got 2)``."""
    try:
        spec.params_model.model_validate(params)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = loc_text(tuple(error["loc"])) or "params"
        text = f"node {node_id} param {where}: {humanize(error)}"
        if error["type"].endswith("_type"):
            raise TypeError(text) from None
        raise ValueError(text) from None
