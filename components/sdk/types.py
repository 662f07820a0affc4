"""The closed vocabulary of artifact types that flow along edges, and the one connection rule.

Every port of every component is typed with one of these classes. The wire name (``Table.wire``)
is what graph documents, the REST catalogue and the canvas use; nothing else may spell type
names by hand. ``can_connect`` is the single compatibility rule, shared with the canvas through
``Registry.describe()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar


class ArtifactType:
    """Base of all port types. Subclasses are markers used in component signatures."""

    wire: ClassVar[str] = ""
    description: ClassVar[str] = ""
    colour: ClassVar[str] = "#888888"


class Table(ArtifactType):
    """A pandas DataFrame. Stored as Parquet."""

    wire = "table"
    description = "A data table (pandas DataFrame), stored as Parquet."
    colour = "#2f80ed"


class Model(ArtifactType):
    """A fitted estimator wrapped in ``FittedModel``. Stored with joblib (torch models: torch.save)."""

    wire = "model"
    description = "A fitted model that predict components apply to new tables."
    colour = "#eb5757"


class Transformer(ArtifactType):
    """A fitted table-to-table transformation wrapped in ``FittedTransformer``. Stored with joblib."""

    wire = "transformer"
    description = "A fitted transformation (scaler, encoder, imputer) to apply to other tables."
    colour = "#f2994a"


class Metrics(ArtifactType):
    """A flat mapping of metric name to number. Stored as JSON."""

    wire = "metrics"
    description = "Named numbers such as accuracy or RMSE."
    colour = "#27ae60"


class Figure(ArtifactType):
    """A Vega-Lite specification (a JSON object with inline data). Stored as JSON."""

    wire = "figure"
    description = "A chart as a Vega-Lite specification."
    colour = "#9b51e0"


class Text(ArtifactType):
    """Plain text (a report, a path that was written). Stored as UTF-8."""

    wire = "text"
    description = "Plain text."
    colour = "#828282"


class Any_(ArtifactType):
    """Input-only wildcard: accepts any artifact type (for generic sinks and viewers)."""

    wire = "any"
    description = "Accepts any artifact."
    colour = "#bdbdbd"


PORT_TYPES: dict[str, type[ArtifactType]] = {
    t.wire: t for t in (Table, Model, Transformer, Metrics, Figure, Text, Any_)
}


def can_connect(out_type: str, in_type: str) -> bool:
    """True when an output of wire type ``out_type`` may feed an input of wire type ``in_type``.

    The rule: the same type, or an ``any`` input. ``any`` is never an output type.
    """
    if out_type not in PORT_TYPES or in_type not in PORT_TYPES or out_type == Any_.wire:
        return False
    return in_type == Any_.wire or out_type == in_type


def describe_types() -> dict[str, Any]:
    """The type vocabulary and the full compatibility matrix, for the palette and canvas."""
    wires = list(PORT_TYPES)
    return {
        "types": [
            {"name": t.wire, "description": t.description, "colour": t.colour}
            for t in PORT_TYPES.values()
        ],
        "connectable": {o: [i for i in wires if can_connect(o, i)] for o in wires},
    }


@dataclass(frozen=True)
class FittedModel:
    """What travels on a ``model`` port: the estimator plus what is needed to apply it.

    ``features`` are the input columns in training order; ``target`` the label column (None for
    unsupervised models); ``task`` one of ``classification``, ``regression``, ``clustering``.
    """

    estimator: Any
    features: tuple[str, ...]
    target: str | None
    task: str
    classes: tuple[Any, ...] = ()
    info: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FittedTransformer:
    """What travels on a ``transformer`` port: a fitted object and the columns it applies to.

    ``transform(df)`` returns a new DataFrame; apply components call it, so training and serving
    share one object.
    """

    estimator: Any
    columns: tuple[str, ...]
    kind: str
    output_columns: tuple[str, ...] = ()
    info: dict[str, Any] = field(default_factory=dict)

    def transform(self, df: Any) -> Any:
        import pandas as pd

        missing = [c for c in self.columns if c not in df.columns]
        if missing:
            raise ValueError(
                f"the table lacks column(s) {missing} that this {self.kind} was fitted on"
            )
        values = self.estimator.transform(df[list(self.columns)])
        if hasattr(values, "toarray"):
            values = values.toarray()
        names = list(self.output_columns) or list(self.columns)
        if names == list(self.columns):  # same columns: replace in place, keep column order
            out = df.copy()
            out[names] = values
            return out
        transformed = pd.DataFrame(values, columns=names, index=df.index)
        return pd.concat([df.drop(columns=list(self.columns)), transformed], axis=1)
