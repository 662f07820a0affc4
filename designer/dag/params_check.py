"""Parameter checks for one node, and pydantic errors rewritten as short human sentences.

``check_params`` validates a node's ``params`` against its component's strict ``Params`` model and
maps every pydantic error to a ``GraphError`` on that param (``unknown_param``, ``missing_param``,
``invalid_param``). ``humanize`` turns one pydantic error dict into "must be ≥ 1 (got 0)".
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from designer.dag.errors import GraphError

_TYPE_NAMES = {
    "int_type": "an integer",
    "int_from_float": "a whole number",
    "int_parsing": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
    "string_type": "text",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "tuple_type": "a list",
    "set_type": "a list",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "none_required": "null",
}
_BOUNDS = {"greater_than_equal": ("ge", "≥"), "greater_than": ("gt", ">"),
           "less_than_equal": ("le", "≤"), "less_than": ("lt", "<")}


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def humanize(err: Any) -> str:
    """One pydantic error (an ``ErrorDetails`` dict) as "must be ... (got ...)"."""
    kind: str = err.get("type", "")
    ctx: dict[str, Any] = err.get("ctx") or {}
    got = err.get("input")
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a known field"
    if kind in _BOUNDS:
        key, sign = _BOUNDS[kind]
        return f"must be {sign} {ctx.get(key)} (got {_show(got)})"
    if kind in ("literal_error", "enum"):
        return f"must be one of {ctx.get('expected')} (got {_show(got)})"
    if kind in _TYPE_NAMES:
        return f"must be {_TYPE_NAMES[kind]} (got {_json_type(got)} {_show(got)})"
    if kind in ("string_too_short", "too_short"):
        n = ctx.get("min_length")
        unit = "character" if kind.startswith("string") else "item"
        return f"needs at least {n} {unit}{'s' if n != 1 else ''} (got {_show(got)})"
    if kind in ("string_too_long", "too_long"):
        n = ctx.get("max_length")
        unit = "character" if kind.startswith("string") else "item"
        return f"may have at most {n} {unit}{'s' if n != 1 else ''} (got {_show(got)})"
    if kind == "string_pattern_mismatch":
        return f"must match the pattern {ctx.get('pattern')} (got {_show(got)})"
    if kind == "multiple_of":
        return f"must be a multiple of {ctx.get('multiple_of')} (got {_show(got)})"
    msg = str(err.get("msg", "is invalid"))
    for prefix in ("Input should be", "Input should"):
        if msg.startswith(prefix):
            msg = "must" + (" be" if prefix.endswith("be") else "") + msg[len(prefix):]
            break
    else:
        msg = msg.removeprefix("Value error, ")
    return f"{msg} (got {_show(got)})" if "input" in err and kind != "value_error" else msg


def loc_text(loc: tuple[Any, ...]) -> str:
    """``('columns', 2)`` -> ``columns[2]``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def describe(loc: tuple[Any, ...], err: Any, default: str = "value") -> str:
    """``<where> <what is wrong>``, e.g. ``columns[2] must be text (got a number 3)``; a validator
    message that already names the field is used as it is."""
    where = loc_text(loc) or default
    text = humanize(err)
    last = str(loc[-1]) if loc else ""
    return text if last and text.startswith(last) else f"{where} {text}"


def check_params(
    node_id: str, model: type[BaseModel], params: dict[str, Any]
) -> tuple[BaseModel | None, list[GraphError]]:
    """Validate ``params``; return the instance (None when invalid) and the errors."""
    try:
        return model.model_validate(params), []
    except ValidationError as exc:
        return None, [_param_error(node_id, model, err) for err in exc.errors()]


def _param_error(node_id: str, model: type[BaseModel], err: Any) -> GraphError:
    loc: tuple[Any, ...] = tuple(err.get("loc", ()))
    param = str(loc[0]) if loc else None
    kind = err.get("type", "")
    if kind == "extra_forbidden" and param is not None:
        known = list(model.model_fields)
        close = difflib.get_close_matches(param, known, n=3)
        hint = f"did you mean {', '.join(map(repr, close))}?" if close else (
            f"known parameters: {', '.join(known)}." if known else "this component takes none."
        )
        return GraphError("unknown_param", f"unknown parameter {param!r}; {hint} "
                          "Rename or remove it.", node=node_id, param=param)
    if kind == "missing" and len(loc) == 1:
        return GraphError("missing_param", f"parameter {param!r} is required; set a value",
                          node=node_id, param=param)
    return GraphError("invalid_param", describe(loc, err, "parameters"), node=node_id, param=param)
