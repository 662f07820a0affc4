"""App config of the web shell (the page that loads the canvas)."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "designer.web"
    label = "web"
    verbose_name = "Browser app"
