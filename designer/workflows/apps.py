"""App config for workflows."""

from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "designer.workflows"
    label = "workflows"
    verbose_name = "Workflows"
