"""Serializers that exist to document shared shapes in the OpenAPI schema: the error body, graph
problems and the graph document (ARCHITECTURE.md §2). Validation of graphs is the graph engine's
job (``designer.dag``), not these serializers'."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers


class GraphErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable machine code, e.g. unknown_component, cycle.")
    message = serializers.CharField(help_text="What is wrong and how to fix it.")
    node = serializers.CharField(allow_null=True, required=False)
    port = serializers.CharField(allow_null=True, required=False)
    param = serializers.CharField(allow_null=True, required=False)
    edge = serializers.IntegerField(allow_null=True, required=False,
                                    help_text="Index into the document's edges.")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    errors = GraphErrorSerializer(many=True, required=False,
                                  help_text="Graph problems, each pinned to a node/port/param.")
    fields = serializers.DictField(required=False, help_text="Invalid request fields.")
    line = serializers.IntegerField(required=False, allow_null=True,
                                    help_text="Line of imported code where the problem is.")


class PositionSerializer(serializers.Serializer):
    x = serializers.FloatField(default=0.0)
    y = serializers.FloatField(default=0.0)


class NodeDocumentSerializer(serializers.Serializer):
    id = serializers.RegexField(r"^[A-Za-z_][A-Za-z0-9_\-]{0,63}$")
    component = serializers.CharField(max_length=200, help_text="Component id, e.g. datasets.iris.")
    version = serializers.IntegerField(min_value=1)
    params = serializers.DictField(required=False)
    label = serializers.CharField(max_length=200, allow_null=True, required=False)
    position = PositionSerializer(required=False)


class EdgeDocumentSerializer(serializers.Serializer):
    source = serializers.CharField()
    source_port = serializers.CharField()
    target = serializers.CharField()
    target_port = serializers.CharField()


class GraphDocumentSerializer(serializers.Serializer):
    schema_version = serializers.IntegerField(default=1)
    nodes = NodeDocumentSerializer(many=True)
    edges = EdgeDocumentSerializer(many=True)


@extend_schema_field(GraphDocumentSerializer)
class GraphField(serializers.JSONField):
    """A graph document, passed through untouched for the graph engine to parse and validate."""


def errors(*statuses: int) -> dict[int, OpenApiResponse]:
    """``responses=`` entries documenting the JSON error body for ``statuses``."""
    text = {
        400: "Invalid request or graph (see `errors` / `fields`).",
        401: "Not authenticated.",
        403: "Not allowed.",
        404: "Not found, or not yours.",
        409: "Conflicts with the object's state.",
    }
    return {
        s: OpenApiResponse(ErrorSerializer, description=text.get(s, "Error.")) for s in statuses
    }


def json_object(description: str) -> dict[str, Any]:
    """An OpenAPI free-form object (for payloads defined elsewhere, e.g. the catalogue)."""
    return {"type": "object", "additionalProperties": True, "description": description}
