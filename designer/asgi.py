"""ASGI entry point: HTTP through Django, websockets through Channels (session or token).

Websocket routes come from ``designer.realtime.routing`` (``/ws/runs/<run_id>/``), behind an
Origin check for browsers, the session and token authentication (``designer.realtime.middleware``).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")

# Django must be set up before anything imports models (consumers, auth middleware).
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from designer.realtime.middleware import websocket_auth  # noqa: E402
from designer.realtime.routing import websocket_urlpatterns  # noqa: E402


def _warm_up_inline() -> None:
    """In inline mode this process runs the nodes: import their libraries in the background
    now, not during a user's first run (``workers.warm``)."""
    from django.conf import settings

    if settings.DESIGNER_EXECUTION == "inline":
        from workers.warm import import_in_background, warm_imports

        import_in_background(warm_imports(None, settings.DESIGNER_GPU_WORKERS))


_warm_up_inline()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": websocket_auth(URLRouter(websocket_urlpatterns)),
    }
)
