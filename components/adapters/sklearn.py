"""scikit-learn estimators as components: the only module that reads ``_parameter_constraints``.

Constraints become JSON-able parameter descriptions (``describe_estimator``) and descriptions
become pydantic ``Params`` fields (``params_fields``); ``sklearn_components`` turns them into
trainer components. Descriptions can come from a snapshot file written for the installed
scikit-learn version, so loading the catalogue does not import scikit-learn (about a second).
"""

from __future__ import annotations

import importlib
import inspect
import json
import math
import re
from collections.abc import Iterable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
)

ADAPTER_FORMAT = 1  # bump when the description format or the mapping rules change
SEED_MAX = 2**32 - 1  # numpy's RandomState accepts seeds in [0, 2**32 - 1]
Seed = Annotated[int, Field(ge=0, le=SEED_MAX)]
SEED_DESCRIPTION = "Seed for the random number generator; empty = the run's seed (reproducible)."

# Execution details the component controls: worker CPUs, console noise, internal warm starts,
# and in-place copies that could mutate the input table.
NOT_EXPOSED = frozenset({"verbose", "n_jobs", "warm_start", "copy_X", "copy_x"})

ParamDescription = dict[str, Any]  # {"name", "default", "nullable", "choices", "description"}


# constraints -> descriptions ------------------------------------------------------------------
def _bounds(interval: Any) -> dict[str, float]:
    out: dict[str, float] = {}
    closed = interval.closed
    if interval.left is not None and math.isfinite(interval.left):
        out["ge" if closed in ("left", "both") else "gt"] = interval.left
    if interval.right is not None and math.isfinite(interval.right):
        out["le" if closed in ("right", "both") else "lt"] = interval.right
    return out


def _json_scalar(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, str | int | bool)


def _choice(constraint: Any) -> dict[str, Any] | None:
    """One alternative of a constraint list as a JSON-able choice; None = not exposable."""
    from numbers import Integral, Real

    from sklearn.utils import _param_validation as pv

    if isinstance(constraint, pv.Hidden):
        return None
    if isinstance(constraint, str):
        return {"boolean": {"kind": "bool"}, "random_state": {"kind": "seed"}}.get(constraint)
    if isinstance(constraint, pv.Interval):
        if issubclass(constraint.type, Integral):
            return {"kind": "int", **_bounds(constraint)}
        not_int = constraint.type is pv.RealNotInt
        return {"kind": "float", **_bounds(constraint), **({"not_int": True} if not_int else {})}
    if isinstance(constraint, pv.Options):  # StrOptions too
        values = [v for v in constraint.options if v not in constraint.deprecated]
        if not values or not all(_json_scalar(v) for v in values):
            return None
        return {"kind": "enum", "values": sorted(values, key=lambda v: (str(type(v)), v))}
    if isinstance(constraint, type):
        if constraint is bool:
            return {"kind": "bool"}
        if issubclass(constraint, Integral):
            return {"kind": "int"}
        if constraint is pv.RealNotInt:
            return {"kind": "float", "not_int": True}
        if issubclass(constraint, Real):
            return {"kind": "float"}
        if constraint is str:
            return {"kind": "str"}
    return None  # callables, arrays, dicts, estimators, "verbose", "cv_object", NaN markers


def import_estimator(path: str) -> type:
    """The estimator class for a dotted path such as ``sklearn.linear_model.Ridge``."""
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


def describe_estimator(cls: type) -> list[ParamDescription]:
    """Exposable parameters of ``cls`` in signature order, each with a valid default."""
    constraints: dict[str, list[Any]] = getattr(cls, "_parameter_constraints", {})
    defaults = cls().get_params(deep=False)
    docs = param_docs(cls)
    out: list[ParamDescription] = []
    for name in inspect.signature(cls.__init__).parameters:  # type: ignore[misc]
        if name in NOT_EXPOSED or name not in constraints or name not in defaults:
            continue
        alternatives = constraints[name]
        choices = [c for c in (_choice(a) for a in alternatives) if c is not None]
        if not choices:
            continue
        seed = any(c["kind"] == "seed" for c in choices)
        desc: ParamDescription = {
            "name": name,
            "default": defaults[name],
            "nullable": seed or any(a is None for a in alternatives),
            "choices": [{"kind": "seed"}] if seed else choices,
            "description": SEED_DESCRIPTION if seed else docs.get(name, ""),
        }
        try:
            desc["default"] = _jsonable_default(desc)
        except (ValidationError, TypeError, ValueError):
            continue  # e.g. "deprecated" placeholders, array or object defaults
        out.append(desc)
    return out


def _jsonable_default(desc: ParamDescription) -> Any:
    value = TypeAdapter(annotation(desc), config=ConfigDict(strict=True)).validate_python(
        desc["default"]
    )
    json.dumps(value, allow_nan=False)  # raises on numpy scalars, inf, objects
    if isinstance(value, float) and value.is_integer():
        if any(c["kind"] in ("int", "seed") for c in desc["choices"]):
            # JavaScript writes 1.0 as 1, which the int choice would read as a count, not a
            # fraction: a form round trip would silently change the meaning. Not exposed.
            raise ValueError(f"{desc['name']}: default {value} is ambiguous once in JSON")
    return value


# numpydoc -----------------------------------------------------------------------------------
_PARAM_LINE = re.compile(r"^(\w+)\s*:")
_ROLE = re.compile(r":\w+:`~?(?:[\w.]+\.)?([^`<]+?)(?:\s*<[^>]*>)?`")


def param_docs(cls: type) -> dict[str, str]:
    """First sentence of each parameter's description in the numpydoc ``Parameters`` section."""
    doc = inspect.cleandoc(cls.__doc__ or "")
    match = re.search(r"^Parameters\n-+\n(.*?)(?=^\S[^\n]*\n-+\n|\Z)", doc, re.S | re.M)
    if match is None:
        return {}
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in match.group(1).splitlines():
        head = _PARAM_LINE.match(line)
        if head:
            current = found.setdefault(head.group(1), [])
        elif current is not None and line.strip() and not line.strip().startswith(".."):
            current.append(line.strip())
        elif current is not None and current:
            current = None  # the first paragraph is enough
    return {name: _first_sentence(" ".join(lines)) for name, lines in found.items() if lines}


def _first_sentence(text: str) -> str:
    text = _ROLE.sub(r"\1", text).replace("``", "").replace("`", "")
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    return sentence if len(sentence) <= 200 else sentence[:197].rstrip() + "..."


# descriptions -> pydantic ---------------------------------------------------------------------
def _reject_whole_numbers(value: Any) -> Any:
    if isinstance(value, bool | int):
        raise ValueError("give a fraction such as 0.5 here; whole numbers mean a count")
    return value


def _member(choice: dict[str, Any]) -> Any:
    kind = choice["kind"]
    bounds = {k: choice[k] for k in ("ge", "gt", "le", "lt") if k in choice}
    if kind == "seed":
        return Seed
    if kind == "int":
        return Annotated[int, Field(**bounds)] if bounds else int
    if kind == "float":
        extra = (BeforeValidator(_reject_whole_numbers),) if choice.get("not_int") else ()
        return Annotated[(float, Field(**bounds), *extra)] if bounds or extra else float
    if kind == "enum":
        values = tuple(choice["values"])
        if len(values) > 1:
            return Literal[values]
        json_type = {str: "string", bool: "boolean", int: "integer", float: "number"}
        schema = {"enum": list(values), "type": json_type[type(values[0])]}
        return Annotated[Literal[values], WithJsonSchema(schema)]  # an enum, not a "const"
    return {"bool": bool, "str": str}[kind]


def annotation(desc: ParamDescription) -> Any:
    """The pydantic type of one described parameter (a union when it has several choices)."""
    members = [_member(c) for c in desc["choices"]]
    if desc["nullable"]:
        members.append(type(None))
    return members[0] if len(members) == 1 else Union[tuple(members)]  # noqa: UP007


def params_fields(descriptions: Iterable[ParamDescription]) -> dict[str, Any]:
    """``create_model`` field definitions: name -> (type, Field(default, description))."""
    return {
        d["name"]: (annotation(d), Field(d["default"], description=d["description"]))
        for d in descriptions
    }


# snapshot -------------------------------------------------------------------------------------
def installed_version() -> str | None:
    try:
        return version("scikit-learn")
    except PackageNotFoundError:
        return None


def snapshot_payload(paths: Sequence[str]) -> dict[str, Any]:
    """What ``write_snapshot`` stores: descriptions of ``paths`` from live introspection."""
    return {
        "format": ADAPTER_FORMAT,
        "scikit-learn": installed_version(),
        "estimators": {p: describe_estimator(import_estimator(p)) for p in paths},
    }


def write_snapshot(paths: Sequence[str], file: Path) -> None:
    file.write_text(json.dumps(snapshot_payload(paths), indent=1, sort_keys=True) + "\n")


def load_descriptions(paths: Sequence[str], file: Path | None) -> dict[str, list[Any]]:
    """Descriptions for ``paths``: from the snapshot when it was written for the installed
    scikit-learn and this adapter format, otherwise by importing and introspecting (slower)."""
    cached: dict[str, list[Any]] = {}
    if file is not None and file.exists():
        data = json.loads(file.read_text())
        if data.get("format") == ADAPTER_FORMAT and data.get("scikit-learn") == installed_version():
            cached = data.get("estimators", {})
    return {p: cached[p] if p in cached else describe_estimator(import_estimator(p)) for p in paths}


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m components.adapters.sklearn <allowlist module>`` rewrites its snapshot."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        raise SystemExit("usage: python -m components.adapters.sklearn <allowlist module>")
    module = importlib.import_module(args[0])
    write_snapshot([e.estimator for e in module.ESTIMATORS], module.SNAPSHOT)
    print(f"wrote {module.SNAPSHOT}")


if __name__ == "__main__":
    main()
