"""Websocket routes of the realtime app (mounted by ``designer/asgi.py``)."""

from __future__ import annotations

from django.urls import URLPattern, re_path

from designer.realtime.consumers import RunConsumer

websocket_urlpatterns: list[URLPattern] = [
    # Up to 18 digits keeps the id inside a database bigint; larger ids cannot exist anyway.
    re_path(r"^ws/runs/(?P<run_id>[1-9][0-9]{0,17})/$", RunConsumer.as_asgi()),
]
