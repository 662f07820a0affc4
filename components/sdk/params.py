"""Parameter models for components: a strict pydantic base class and column-picker fields.

A component's parameters are one ``Params`` subclass. Its JSON Schema (``model_json_schema()``)
is what the canvas renders as a form; column pickers carry an ``x-column`` extension naming the
input port whose table the column must come from, so validation can check it before a run.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

COLUMN_KEY = "x-column"


class Params(BaseModel):
    """Base class of every component's parameters: immutable, no unknown keys, no type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def column(
    port: str = "table",
    *,
    default: Any = ...,
    description: str = "",
    title: str | None = None,
    numeric: bool = False,
) -> Any:
    """A parameter that names one column of the table on input ``port``.

    ``numeric=True`` asks for a numeric column (the canvas filters the picker, validation checks it).
    """
    return Field(
        default,
        description=description,
        title=title,
        json_schema_extra={COLUMN_KEY: {"port": port, "multiple": False, "numeric": numeric}},
    )


def columns(
    port: str = "table",
    *,
    default: list[str] | None = None,
    description: str = "",
    title: str | None = None,
    numeric: bool = False,
) -> Any:
    """A parameter that names several columns of the table on input ``port`` (default: none)."""
    return Field(
        default=list(default or []),  # pydantic copies mutable defaults per instance
        description=description,
        title=title,
        json_schema_extra={COLUMN_KEY: {"port": port, "multiple": True, "numeric": numeric}},
    )


def column_params(model: type[BaseModel]) -> dict[str, dict[str, Any]]:
    """Map of parameter name to its ``x-column`` info, for the column parameters of ``model``."""
    found: dict[str, dict[str, Any]] = {}
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra
        if isinstance(extra, dict) and COLUMN_KEY in extra:
            found[name] = dict(extra[COLUMN_KEY])  # type: ignore[arg-type]
    return found


def defaults_of(model: type[BaseModel]) -> dict[str, Any]:
    """Default value of every parameter that has one (JSON mode)."""
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if info.is_required():
            continue
        out[name] = info.get_default(call_default_factory=True)
    return out
