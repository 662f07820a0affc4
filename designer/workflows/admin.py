"""Django admin for workflows and their (read-only) versions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from designer.workflows.models import Workflow, WorkflowVersion


class VersionInline(admin.TabularInline):
    model = WorkflowVersion
    extra = 0
    fields = ("number", "content_hash", "message", "created_by", "created_at")
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(Workflow)
class WorkflowAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "owner", "current_version", "updated_at")
    list_filter = ("owner",)
    search_fields = ("name", "description", "owner__username")
    raw_id_fields = ("owner", "current_version")
    inlines = (VersionInline,)
    list_select_related = ("owner", "current_version")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # a row per workflow need not parse its current graph document (~0.5 KB a node)
        return super().get_queryset(request).defer("current_version__graph")


@admin.register(WorkflowVersion)
class WorkflowVersionAdmin(admin.ModelAdmin):
    list_display = ("id", "workflow", "number", "content_hash", "created_by", "created_at")
    search_fields = ("workflow__name", "content_hash")
    raw_id_fields = ("workflow", "created_by")
    readonly_fields = ("workflow", "number", "graph", "content_hash", "created_by", "created_at")
    list_select_related = ("workflow", "created_by")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # the list leaves each version's graph out; the change page reads it on first access
        return super().get_queryset(request).defer("graph")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # versions are immutable
