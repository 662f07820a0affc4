"""Django admin for runs, node runs and run events (read-mostly: state changes go through
services and workers, not the admin)."""

from __future__ import annotations

from django.contrib import admin

from designer.runs.models import NodeRun, Run, RunEvent


class NodeRunInline(admin.TabularInline):
    model = NodeRun
    extra = 0
    fields = ("node_id", "component_id", "status", "attempt", "queue", "started_at", "finished_at")
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    list_display = ("id", "workflow", "version", "owner", "status", "created_at", "finished_at")
    list_filter = ("status",)
    search_fields = ("workflow__name", "owner__username")
    raw_id_fields = ("workflow", "version", "owner")
    readonly_fields = ("plan", "options", "last_seq", "created_at")
    inlines = (NodeRunInline,)


@admin.register(NodeRun)
class NodeRunAdmin(admin.ModelAdmin):
    list_display = ("id", "run", "node_id", "component_id", "status", "attempt", "queue",
                    "started_at", "finished_at")
    list_filter = ("status", "queue")
    search_fields = ("node_id", "component_id", "cache_key")
    raw_id_fields = ("run",)


@admin.register(RunEvent)
class RunEventAdmin(admin.ModelAdmin):
    list_display = ("id", "run", "seq", "type", "node_id", "ts")
    list_filter = ("type",)
    raw_id_fields = ("run",)
    readonly_fields = ("run", "seq", "type", "node_id", "payload", "ts")
