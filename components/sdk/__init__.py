"""The component SDK: everything a component file imports, and nothing that needs a server."""

from components.sdk.context import Cancelled, Context
from components.sdk.decorator import ComponentDefinitionError, component
from components.sdk.params import Params, column, columns
from components.sdk.registry import REGISTRY, Registry, UnknownComponent
from components.sdk.schema import ColumnInfo, TableSchema, schema_of
from components.sdk.spec import ComponentSpec, PortSpec
from components.sdk.types import (
    PORT_TYPES,
    Any_,
    ArtifactType,
    Figure,
    FittedModel,
    FittedTransformer,
    Metrics,
    Model,
    Table,
    Text,
    Transformer,
    can_connect,
)

__all__ = [
    "PORT_TYPES",
    "REGISTRY",
    "Any_",
    "ArtifactType",
    "Cancelled",
    "ColumnInfo",
    "ComponentDefinitionError",
    "ComponentSpec",
    "Context",
    "Figure",
    "FittedModel",
    "FittedTransformer",
    "Metrics",
    "Model",
    "Params",
    "PortSpec",
    "Registry",
    "Table",
    "TableSchema",
    "Text",
    "Transformer",
    "UnknownComponent",
    "can_connect",
    "column",
    "columns",
    "component",
    "schema_of",
]
