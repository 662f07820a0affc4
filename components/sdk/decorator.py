"""The ``@component`` decorator: turns one typed function into a registered ``ComponentSpec``.

Ports come from the annotations (``Table`` = one required input, ``Table | None`` = optional,
``list[Table]`` = many edges; the return type is one artifact type or a NamedTuple of them whose
field names are the output ports). Everything is checked at import time, so a malformed
component fails loudly when the catalogue loads, never in the middle of a run.
"""

from __future__ import annotations

import inspect
import keyword
import re
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

from components.sdk.context import Context
from components.sdk.params import Params, column_params
from components.sdk.registry import REGISTRY, Registry
from components.sdk.spec import ComponentSpec, PortSpec, SchemaFn
from components.sdk.types import Any_, ArtifactType

F = TypeVar("F", bound=Callable[..., Any])

ID_RE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
RESERVED = frozenset({"id", "label", "version", "position", "params", "ctx"})  # SDK kwargs too
RESOURCES = ("cpu", "gpu")


class ComponentDefinitionError(TypeError):
    """A component declaration is malformed. The message says what to change."""


def component(
    *,
    id: str,
    version: int = 1,
    category: str,
    title: str | None = None,
    tags: tuple[str, ...] | list[str] = (),
    resources: str = "cpu",
    deterministic: bool = True,
    cacheable: bool = True,
    replaces: tuple[str, ...] | list[str] = (),
    deprecated: bool = False,
    schema: SchemaFn | None = None,
    ports: dict[str, str] | None = None,
    example: dict[str, Any] | None = None,
    registry: Registry | None = None,
) -> Callable[[F], F]:
    """Declare and register a component. See ``components/library`` for many examples.

    ``ports`` optionally describes ports by name (shown on hover in the canvas).
    ``schema`` optionally infers output table schemas from input schemas and params.
    ``example`` gives params that work on the contract test's standard fixtures (see
    ``tests/components/test_contract.py``) when the defaults do not (required columns).
    """

    def wrap(func: F) -> F:
        spec = build_spec(
            func,
            id=id,
            version=version,
            category=category,
            title=title,
            tags=tuple(tags),
            resources=resources,
            deterministic=deterministic,
            cacheable=cacheable,
            replaces=tuple(replaces),
            deprecated=deprecated,
            schema=schema,
            ports=ports or {},
            example=dict(example or {}),
        )
        (REGISTRY if registry is None else registry).register(spec)  # an empty Registry is falsy
        func.__component__ = spec  # type: ignore[attr-defined]
        return func

    return wrap


def _fail(cid: str, message: str) -> ComponentDefinitionError:
    return ComponentDefinitionError(f"component {cid!r}: {message}")


def _port_from_annotation(cid: str, name: str, ann: Any, doc: str) -> PortSpec:
    origin = typing.get_origin(ann)
    args = typing.get_args(ann)
    many = optional = False
    if origin in (list, typing.List):  # noqa: UP006
        many, ann = True, args[0]
    elif origin in (typing.Union, types.UnionType) and type(None) in args and len(args) == 2:
        optional, ann = True, next(a for a in args if a is not type(None))
    if not (isinstance(ann, type) and issubclass(ann, ArtifactType) and ann.wire):
        raise _fail(cid, f"input {name!r} must be annotated with a port type, got {ann!r}")
    return PortSpec(name=name, type=ann.wire, many=many, optional=optional, description=doc)


def _outputs(cid: str, ret: Any, ports: dict[str, str]) -> tuple[tuple[PortSpec, ...], bool]:
    if isinstance(ret, type) and issubclass(ret, ArtifactType) and ret.wire:
        if ret is Any_:
            raise _fail(cid, "'Any_' is an input-only type")
        return (PortSpec(ret.wire, ret.wire, description=ports.get(ret.wire, "")),), True
    if isinstance(ret, type) and issubclass(ret, tuple) and hasattr(ret, "_fields"):
        hints = typing.get_type_hints(ret)
        outs = []
        for field_name in ret._fields:
            t = hints.get(field_name)
            if not (isinstance(t, type) and issubclass(t, ArtifactType) and t.wire) or t is Any_:
                raise _fail(cid, f"output {field_name!r} must be a port type, got {t!r}")
            outs.append(PortSpec(field_name, t.wire, description=ports.get(field_name, "")))
        return tuple(outs), False
    raise _fail(cid, "return annotation must be a port type or a NamedTuple of port types")


def build_spec(func: Callable[..., Any], **meta: Any) -> ComponentSpec:
    cid = meta["id"]
    if not ID_RE.match(cid):
        raise _fail(cid, "id must look like '<category>.<snake_name>' in lower case")
    if cid.split(".", 1)[1] != func.__name__:
        raise _fail(cid, f"the function must be named {cid.split('.', 1)[1]!r} like its id")
    if not isinstance(meta["version"], int) or meta["version"] < 1:
        raise _fail(cid, "version must be a positive integer")
    if meta["resources"] not in RESOURCES:
        raise _fail(cid, f"resources must be one of {RESOURCES}")
    doc = inspect.cleandoc(func.__doc__ or "")
    if not doc:
        raise _fail(cid, "add a docstring: its first line is the palette description")
    hints = typing.get_type_hints(func, include_extras=False)
    ports: dict[str, str] = meta["ports"]
    inputs: list[PortSpec] = []
    params_model: type[BaseModel] = Params
    takes_params = takes_ctx = False
    for pname in inspect.signature(func).parameters:
        ann = hints.get(pname)
        if pname == "params":
            if not (isinstance(ann, type) and issubclass(ann, BaseModel)):
                raise _fail(cid, "'params' must be annotated with a Params subclass")
            params_model, takes_params = ann, True
        elif pname == "ctx":
            if ann is not Context:
                raise _fail(cid, "'ctx' must be annotated with Context")
            takes_ctx = True
        else:
            inputs.append(_port_from_annotation(cid, pname, ann, ports.get(pname, "")))
    if "return" not in hints:
        raise _fail(cid, "annotate the return type with its output port type(s)")
    outputs, single = _outputs(cid, hints["return"], ports)
    _check_names(cid, inputs, outputs, params_model)
    return ComponentSpec(
        id=cid,
        version=meta["version"],
        title=meta["title"] or func.__name__.replace("_", " ").capitalize(),
        category=meta["category"],
        description=doc.splitlines()[0],
        doc=doc,
        inputs=tuple(inputs),
        outputs=outputs,
        params_model=params_model,
        func=func,
        tags=meta["tags"],
        resources=meta["resources"],
        deterministic=meta["deterministic"],
        cacheable=meta["cacheable"],
        replaces=meta["replaces"],
        deprecated=meta["deprecated"],
        schema_fn=meta["schema"],
        single_output=single,
        example_params=meta.get("example", {}),
        takes_params=takes_params,
        takes_ctx=takes_ctx,
    )


def _check_names(
    cid: str, inputs: list[PortSpec], outputs: tuple[PortSpec, ...], model: type[BaseModel]
) -> None:
    in_names = [p.name for p in inputs]
    out_names = [p.name for p in outputs]
    if len(set(in_names)) != len(in_names) or len(set(out_names)) != len(out_names):
        raise _fail(cid, "port names must be unique")
    if not out_names:
        raise _fail(cid, "a component needs at least one output")
    for name in model.model_fields:
        if name in RESERVED or name.startswith("_") or keyword.iskeyword(name):
            raise _fail(cid, f"parameter name {name!r} is reserved; choose another")
        if name in in_names:
            raise _fail(cid, f"parameter {name!r} has the name of an input port; rename one")
    for pname, info in column_params(model).items():
        if info["port"] not in in_names:
            raise _fail(cid, f"column parameter {pname!r} points at unknown port {info['port']!r}")
    try:
        model.model_json_schema()
    except Exception as exc:  # pydantic raises several kinds here
        raise _fail(cid, f"parameter schema is not JSON-serialisable: {exc}") from exc
