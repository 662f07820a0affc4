"""Django admin for runs, node runs and run events (read-mostly: state changes go through
services and workers, not the admin)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from designer.runs.models import NodeRun, Run, RunEvent
from designer.runs.selectors import HEAVY_FIELDS

# Lists show a row per run, node or event with its run, workflow and version joined, leaving out
# what the API's run reads leave out (HEAVY_FIELDS): otherwise every row parsed its run's
# compiled plan and its version's graph document (~0.5 KB a node each; a page of a large run's
# nodes parsed the same plan a hundred times). A change page still shows them (read on access).


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
    list_select_related = ("workflow", "version", "owner")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).defer(*HEAVY_FIELDS)


@admin.register(NodeRun)
class NodeRunAdmin(admin.ModelAdmin):
    list_display = ("id", "run", "node_id", "component_id", "status", "attempt", "queue",
                    "started_at", "finished_at")
    list_filter = ("status", "queue")
    search_fields = ("node_id", "component_id", "cache_key")
    raw_id_fields = ("run",)
    list_select_related = ("run",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).defer("run__plan")


@admin.register(RunEvent)
class RunEventAdmin(admin.ModelAdmin):
    list_display = ("id", "run", "seq", "type", "node_id", "ts")
    list_filter = ("type",)
    raw_id_fields = ("run",)
    readonly_fields = ("run", "seq", "type", "node_id", "payload", "ts")
    list_select_related = ("run",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).defer("run__plan")
