"""Column helpers shared by the preprocessing components: default column picks and name checks.

Used both at run time (on ``schema_of(table)``) and by schema functions, so both agree.
"""

from __future__ import annotations

from typing import Any

from components.sdk import TableSchema

NUMERIC = ("int", "float")  # bool columns are not numeric for scaling or mean/median filling
TEXT = ("str", "category")


def pick(
    schema: TableSchema, chosen: list[str], exclude: list[str], kinds: tuple[str, ...] | None
) -> list[str]:
    """``chosen`` if given, else every column whose kind is in ``kinds`` (all when None),
    minus ``exclude``, in table order for the default pick."""
    names = chosen or [c.name for c in schema.columns if kinds is None or c.kind in kinds]
    gone = set(exclude)
    return [n for n in names if n not in gone]


def require(table: Any, names: list[str], param: str) -> None:
    """Raise a helpful error when ``table`` lacks any of ``names`` (from parameter ``param``)."""
    missing = [n for n in names if n not in table.columns]
    if missing:
        raise ValueError(
            f"column(s) {missing} in {param!r} are not in the input table; "
            f"pick from its columns {[str(c) for c in table.columns]}"
        )
