"""App config for runs."""

from django.apps import AppConfig


class RunsConfig(AppConfig):
    name = "designer.runs"
    label = "runs"
    verbose_name = "Runs"
