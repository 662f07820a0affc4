"""Websocket handshake middleware: token authentication for the SDK and scripts, and an Origin
check that guards browser (cookie) connections without locking out non-browser clients.

``websocket_auth(inner)`` is the whole stack used by ``designer/asgi.py``: Origin check, then
the session (``AuthMiddlewareStack``), then a token if one is given, which wins. A token that
does not match leaves the connection anonymous (refused by the consumer) rather than falling
back to the session.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import ParseResult, parse_qs

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from channels.security.websocket import OriginValidator
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

TOKEN_KEYWORD = b"token"


def _header(scope: dict[str, Any], name: bytes) -> bytes | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value)
    return None


def token_from_scope(scope: dict[str, Any]) -> str | None:
    """The key from ``Authorization: Token <key>`` or ``?token=<key>``; None when neither."""
    auth = _header(scope, b"authorization")
    if auth is not None:
        parts = auth.split()
        if len(parts) == 2 and parts[0].lower() == TOKEN_KEYWORD:
            return parts[1].decode("latin1")
    query = parse_qs(scope.get("query_string", b"").decode("latin1"))
    values = query.get("token")
    return values[-1] if values else None


@database_sync_to_async
def _user_for_token(key: str) -> Any:
    from rest_framework.authtoken.models import Token

    if not key or len(key) > 64:
        return AnonymousUser()
    try:
        token = Token.objects.select_related("user").get(key=key)
    except Token.DoesNotExist:
        return AnonymousUser()
    return token.user if token.user.is_active else AnonymousUser()


class TokenAuthMiddleware(BaseMiddleware):
    """Sets ``scope["user"]`` from a DRF token when the handshake carries one."""

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        key = token_from_scope(scope)
        if key is not None:
            scope = dict(scope)
            scope["user"] = await _user_for_token(key)
            scope["auth_method"] = "token"
        return await super().__call__(scope, receive, send)


class BrowserOriginValidator(OriginValidator):
    """``AllowedHostsOriginValidator``'s check for handshakes that carry an Origin header.

    Browsers always send Origin on websocket handshakes, and cross-site websocket hijacking
    needs a browser; clients without one (SDK, scripts, ``websockets``) send none and can forge
    it anyway, so a missing Origin is let through to authentication.
    """

    def valid_origin(self, parsed_origin: ParseResult | None) -> bool:
        if parsed_origin is None:
            return True
        return bool(self.validate_origin(parsed_origin))


def websocket_auth(inner: Any) -> Any:
    """Origin check -> session -> token, around ``inner`` (a ``URLRouter``)."""
    allowed = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not allowed:
        allowed = ["localhost", "127.0.0.1", "[::1]"]
    return BrowserOriginValidator(AuthMiddlewareStack(TokenAuthMiddleware(inner)), allowed)
