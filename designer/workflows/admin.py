"""Django admin for workflows and their (read-only) versions."""

from __future__ import annotations

from django.contrib import admin

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


@admin.register(WorkflowVersion)
class WorkflowVersionAdmin(admin.ModelAdmin):
    list_display = ("id", "workflow", "number", "content_hash", "created_by", "created_at")
    search_fields = ("workflow__name", "content_hash")
    raw_id_fields = ("workflow", "created_by")
    readonly_fields = ("workflow", "number", "graph", "content_hash", "created_by", "created_at")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # versions are immutable
