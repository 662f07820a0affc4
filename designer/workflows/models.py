"""Workflows and their immutable, content-hashed graph versions.

A ``Workflow`` is the user's named, owned thing; each save of a changed graph adds a
``WorkflowVersion`` (1, 2, 3...) holding the normalized graph document. Versions are never edited;
runs point at the version they ran. Rules (when to add a version) live in ``services.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Workflow(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workflows"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    current_version = models.ForeignKey(
        "WorkflowVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The latest saved version (what the canvas opens and a run starts from).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-updated_at", "-id")
        indexes = [models.Index(fields=("owner", "-updated_at"), name="workflow_owner_updated")]

    def __str__(self) -> str:
        return f"{self.name} (#{self.pk})"


class WorkflowVersion(models.Model):
    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    graph = models.JSONField(
        help_text="The normalized graph document (ARCHITECTURE.md §2)."
    )
    content_hash = models.CharField(max_length=64, db_index=True)
    message = models.CharField(max_length=500, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("workflow_id", "-number")
        constraints = [
            models.UniqueConstraint(fields=("workflow", "number"), name="workflow_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.workflow_id} v{self.number}"
