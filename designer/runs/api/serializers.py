"""Input and output serializers for the run endpoints."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from designer.runs.events import public_outputs
from designer.runs.models import NodeRun, Run

NODE_ID = r"^[A-Za-z_][A-Za-z0-9_\-]{0,63}$"


# inputs --------------------------------------------------------------------------------------
class RunStartInput(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1,
                                       help_text="Version number to run; default: the latest.")
    from_node = serializers.RegexField(
        NODE_ID, required=False, allow_null=True, default=None,
        help_text="Re-execute this node and everything downstream; reuse cached upstream outputs.",
    )
    to_node = serializers.RegexField(
        NODE_ID, required=False, allow_null=True, default=None,
        help_text="Run only what this node needs.",
    )
    use_cache = serializers.BooleanField(required=False, default=True,
                                         help_text="False: execute every node.")
    seed = serializers.IntegerField(required=False, default=0, min_value=0, max_value=2**32 - 1)


class EventsQuery(serializers.Serializer):
    after = serializers.IntegerField(required=False, default=0, min_value=0, max_value=2**62)
    limit = serializers.IntegerField(required=False, default=500, min_value=1, max_value=1000)


class PreviewQuery(serializers.Serializer):
    rows = serializers.IntegerField(required=False, default=50, min_value=1, max_value=500)


# outputs -------------------------------------------------------------------------------------
def _seconds(start: Any, end: Any) -> float | None:
    if start is None or end is None:
        return None
    return round((end - start).total_seconds(), 6)


class OutputRefSerializer(serializers.Serializer):
    type = serializers.CharField()
    digest = serializers.CharField()
    size = serializers.IntegerField()
    summary = serializers.DictField()


class NodeRunSerializer(serializers.ModelSerializer):
    duration_s = serializers.SerializerMethodField(help_text="started -> finished, seconds.")
    queue_wait_s = serializers.SerializerMethodField(help_text="queued -> started, seconds.")
    outputs = serializers.SerializerMethodField()

    class Meta:
        model = NodeRun
        fields = (
            "node_id", "component_id", "component_version", "label", "status", "attempt",
            "queue", "cache_key", "remaining_parents", "ready_at", "queued_at", "started_at",
            "finished_at", "duration_s", "queue_wait_s", "progress", "outputs", "error",
            "traceback",
        )
        read_only_fields = fields

    def get_duration_s(self, obj: NodeRun) -> float | None:
        return _seconds(obj.started_at, obj.finished_at)

    def get_queue_wait_s(self, obj: NodeRun) -> float | None:
        return _seconds(obj.queued_at, obj.started_at)

    @extend_schema_field(serializers.DictField(child=OutputRefSerializer()))
    def get_outputs(self, obj: NodeRun) -> dict[str, Any]:
        return public_outputs(obj.outputs)


class RunListSerializer(serializers.ModelSerializer):
    workflow = serializers.IntegerField(source="workflow_id", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    cancel_requested = serializers.SerializerMethodField()
    duration_s = serializers.SerializerMethodField()

    class Meta:
        model = Run
        fields = ("id", "workflow", "version", "status", "options", "error", "cancel_requested",
                  "created_at", "started_at", "finished_at", "duration_s", "last_seq")
        read_only_fields = fields

    def get_cancel_requested(self, obj: Run) -> bool:
        return obj.cancel_requested_at is not None

    def get_duration_s(self, obj: Run) -> float | None:
        return _seconds(obj.started_at, obj.finished_at)


class RunDetailSerializer(RunListSerializer):
    nodes = NodeRunSerializer(many=True, read_only=True)

    class Meta(RunListSerializer.Meta):
        fields = (*RunListSerializer.Meta.fields, "nodes")
        read_only_fields = fields


class RunEventSerializer(serializers.Serializer):
    """One event as sent over the websocket: envelope keys plus type-specific keys."""

    type = serializers.CharField()
    run = serializers.IntegerField()
    seq = serializers.IntegerField()
    ts = serializers.DateTimeField()
    node = serializers.CharField(required=False)


class RunEventsSerializer(serializers.Serializer):
    run = serializers.IntegerField()
    status = serializers.CharField()
    last_seq = serializers.IntegerField(help_text="Highest seq stored so far for this run.")
    events = RunEventSerializer(many=True)


class LogLineSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    ts = serializers.DateTimeField()
    level = serializers.CharField()
    message = serializers.CharField()


class NodeLogsSerializer(serializers.Serializer):
    run = serializers.IntegerField()
    node = serializers.CharField()
    status = serializers.CharField()
    lines = LogLineSerializer(many=True)
    error = serializers.CharField()
    traceback = serializers.CharField()


class ArtifactPreviewSerializer(serializers.Serializer):
    type = serializers.CharField()
    digest = serializers.CharField()
    size = serializers.IntegerField()
    summary = serializers.DictField()
    table = serializers.DictField(required=False,
                                  help_text="{rows, columns, data (first rows), stats}")
    metrics = serializers.DictField(required=False)
    figure = serializers.DictField(required=False, help_text="Vega-Lite specification.")
    text = serializers.CharField(required=False)
    truncated = serializers.BooleanField(required=False)
