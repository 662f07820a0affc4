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

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": websocket_auth(URLRouter(websocket_urlpatterns)),
    }
)
