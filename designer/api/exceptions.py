"""The REST exception handler: every error, expected or not, leaves the API as a JSON object.

Shape: ``{"detail": str, "code": str}`` plus, where they apply, ``fields`` (serializer errors by
field) and ``errors`` (graph problems pinned to node/port/param). Unexpected exceptions are logged
with their traceback and answered with a JSON 500, never Django's HTML error page.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import set_rollback

from designer.errors import ServiceError

logger = logging.getLogger("designer.api")


def _first_message(detail: Any) -> str:
    """A one-line summary of a nested serializer error structure."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            inner = _first_message(value)
            return inner if key == "non_field_errors" else f"{key}: {inner}"
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    return str(detail)


def _code_of(detail: Any, default: str) -> str:
    if isinstance(detail, exceptions.ErrorDetail) and detail.code:
        return str(detail.code)
    return default


def _api_body(exc: exceptions.APIException) -> dict[str, Any]:
    detail = exc.detail
    if isinstance(exc, exceptions.ValidationError):
        fields = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        return {
            "detail": f"Invalid input: {_first_message(fields)}",
            "code": "invalid",
            "fields": fields,
        }
    if isinstance(exc, exceptions.ParseError):
        return {"detail": str(detail), "code": "malformed_json"}
    return {"detail": str(detail), "code": _code_of(detail, exc.default_code)}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """DRF ``EXCEPTION_HANDLER``: map service, DRF and Django exceptions to JSON responses."""
    if isinstance(exc, ServiceError):
        set_rollback()
        return Response(exc.body(), status=exc.status_code)
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"detail": f"The request body is over {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes; "
             "send a smaller document (graphs are limited to 2 MB).", "code": "too_large"},
            status=400,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found. It does not exist or is not yours.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )

    if isinstance(exc, exceptions.APIException):
        headers: dict[str, str] = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = str(exc.auth_header)  # type: ignore[attr-defined]
        if getattr(exc, "wait", None):
            headers["Retry-After"] = "%d" % exc.wait  # type: ignore[attr-defined]
        set_rollback()
        return Response(_api_body(exc), status=exc.status_code, headers=headers)

    view = context.get("view")
    logger.exception("unhandled error in %s", type(view).__name__ if view else "an API view")
    set_rollback()
    return Response(
        {
            "detail": "Internal server error. It has been logged; please report it with the time "
            "of the request.",
            "code": "server_error",
        },
        status=500,
    )
