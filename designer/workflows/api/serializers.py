"""Input and output serializers for the workflow endpoints. Inputs only check shapes; graph rules
are enforced by ``designer.workflows.services`` through the graph engine."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from designer.api.schema import GraphErrorSerializer, GraphField
from designer.workflows.models import Workflow, WorkflowVersion


# inputs --------------------------------------------------------------------------------------
class WorkflowCreateInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    graph = GraphField(required=False, help_text="The graph document; empty when omitted.")
    message = serializers.CharField(required=False, allow_blank=True, default="", max_length=500,
                                    help_text="A note stored with the new version.")


class WorkflowUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    graph = GraphField(required=False,
                       help_text="A new graph; a version is added only if it differs.")
    message = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class WorkflowDuplicateInput(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)


class WorkflowValidateInput(serializers.Serializer):
    graph = GraphField(required=False,
                       help_text="Validate this document instead of the current version.")


class WorkflowImportInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    source = serializers.CharField(trim_whitespace=False,
                                   help_text="Python SDK code, as written by the export endpoint.")


# outputs -------------------------------------------------------------------------------------
class WorkflowListSerializer(serializers.ModelSerializer):
    latest_version = serializers.SerializerMethodField()

    class Meta:
        model = Workflow
        fields = ("id", "name", "description", "latest_version", "created_at", "updated_at")
        read_only_fields = fields

    def get_latest_version(self, obj: Workflow) -> int | None:
        return obj.current_version.number if obj.current_version_id else None


class WorkflowDetailSerializer(WorkflowListSerializer):
    content_hash = serializers.SerializerMethodField()
    graph = serializers.SerializerMethodField()

    class Meta(WorkflowListSerializer.Meta):
        fields = (*WorkflowListSerializer.Meta.fields, "content_hash", "graph")
        read_only_fields = fields

    def get_content_hash(self, obj: Workflow) -> str | None:
        return obj.current_version.content_hash if obj.current_version_id else None

    @extend_schema_field(GraphField)
    def get_graph(self, obj: Workflow) -> dict[str, Any]:
        if obj.current_version_id:
            return obj.current_version.graph  # type: ignore[union-attr,no-any-return]
        return {"schema_version": 1, "nodes": [], "edges": []}


class VersionListSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                              allow_null=True)

    class Meta:
        model = WorkflowVersion
        fields = ("number", "content_hash", "message", "created_by", "created_at")
        read_only_fields = fields


class VersionDetailSerializer(VersionListSerializer):
    graph = GraphField(read_only=True)

    class Meta(VersionListSerializer.Meta):
        fields = (*VersionListSerializer.Meta.fields, "graph")
        read_only_fields = fields


class ValidationReportSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    errors = GraphErrorSerializer(many=True)
    schemas = serializers.DictField(
        child=serializers.DictField(
            child=serializers.ListField(child=serializers.DictField(), allow_null=True)
        ),
        help_text="{node: {output port: [{name, kind}] or null when unknown}}",
    )
