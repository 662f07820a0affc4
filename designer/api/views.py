"""JSON versions of Django's 404/500 pages for ``/api/`` paths; HTML pages elsewhere stay
Django's."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": f"No API endpoint at {request.path}; see /api/docs/.", "code": "not_found"},
            status=404,
        )
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": "Internal server error. It has been logged.", "code": "server_error"},
            status=500,
        )
    return defaults.server_error(request)
