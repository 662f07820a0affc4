"""App config for the realtime layer (websocket consumers; no models)."""

from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "designer.realtime"
    label = "realtime"
    verbose_name = "Realtime"
