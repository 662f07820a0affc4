"""Table schemas known before a run: column names and coarse kinds, propagated through graphs.

A component may declare ``schema=fn`` where ``fn(inputs, params) -> outputs`` maps input port
name to ``TableSchema | None`` (None = unknown) and returns the same for its table outputs.
Validation uses the result to check column parameters; the canvas uses it to fill pickers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

KINDS = ("int", "float", "bool", "str", "category", "datetime", "other")
NUMERIC_KINDS = frozenset({"int", "float", "bool"})


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    kind: str

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS


@dataclass(frozen=True)
class TableSchema:
    """Ordered columns of a table. Immutable; helpers return new schemas."""

    columns: tuple[ColumnInfo, ...]

    @classmethod
    def of(cls, pairs: Any) -> TableSchema:
        """Build from ``[(name, kind), ...]``."""
        return cls(tuple(ColumnInfo(str(n), str(k)) for n, k in pairs))

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def get(self, name: str) -> ColumnInfo | None:
        for col in self.columns:
            if col.name == name:
                return col
        return None

    def select(self, names: list[str]) -> TableSchema:
        by_name = {c.name: c for c in self.columns}
        return TableSchema(tuple(by_name[n] for n in names if n in by_name))

    def drop(self, names: list[str]) -> TableSchema:
        gone = set(names)
        return TableSchema(tuple(c for c in self.columns if c.name not in gone))

    def with_kind(self, names: list[str], kind: str) -> TableSchema:
        change = set(names)
        return TableSchema(
            tuple(ColumnInfo(c.name, kind) if c.name in change else c for c in self.columns)
        )

    def add(self, pairs: Any) -> TableSchema:
        extra = TableSchema.of(pairs)
        keep = tuple(c for c in self.columns if c.name not in set(extra.names))
        return TableSchema(keep + extra.columns)

    def to_json(self) -> list[dict[str, str]]:
        return [{"name": c.name, "kind": c.kind} for c in self.columns]


def kind_of_dtype(dtype: Any) -> str:
    """Coarse kind of a pandas/numpy dtype."""
    import pandas as pd

    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "float"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "datetime"
    if isinstance(dtype, pd.CategoricalDtype):
        return "category"
    if pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype):
        return "str"
    return "other"


def schema_of(df: Any) -> TableSchema:
    """The schema of a pandas DataFrame."""
    return TableSchema(tuple(ColumnInfo(str(n), kind_of_dtype(t)) for n, t in df.dtypes.items()))
