"""System checks: warn when the server runs with the development SECRET_KEY."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=False)
def dev_secret_key(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    if settings.SECRET_KEY == getattr(settings, "DEV_SECRET_KEY", None):
        return [
            checks.Warning(
                "SECRET_KEY is the built-in development key.",
                hint="Set the SECRET_KEY environment variable before exposing this server.",
                id="designer.W001",
            )
        ]
    return []
