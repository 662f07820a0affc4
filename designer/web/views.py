"""The single-page app's HTML: ``frontend/dist/index.html`` for signed-in users.

Anonymous visitors go to ``/accounts/login/?next=...``. When the front end has not been built the
page says how to build it instead of failing with a 404. ``index.html`` is read once per process,
like the asset list whitenoise takes at start-up (restart after ``npm run build``; with DEBUG=1
both are re-read), and is never cached by the browser; the hashed assets it names are (see
``WHITENOISE_IMMUTABLE_FILE_TEST`` in settings). On the canvas page, preload hints start the first
API reads (the catalogue, the workflow) while the script loads.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie

_cache: dict[str, str] = {}


def _index_html(path: Path) -> str | None:
    """The file's text (cached unless DEBUG); None when it is missing."""
    text = _cache.get(str(path))
    if text is None or settings.DEBUG:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            return None
        _cache[str(path)] = text
    return text


@never_cache
@login_required
@ensure_csrf_cookie  # the app sends it back as X-CSRFToken on API writes
def app_page(request: HttpRequest, workflow_id: int | None = None) -> HttpResponse:
    dist = Path(settings.DESIGNER_FRONTEND_DIST)
    html = _index_html(dist / "index.html")
    if html is None:
        return render(request, "web/missing_build.html", {"dist": dist}, status=503)
    # Start the app's first API reads while its script downloads and parses.
    urls = [f"/api/workflows/{workflow_id}/", "/api/components/"] if workflow_id else []
    hints = "".join(f'<link rel="preload" href="{u}" as="fetch" crossorigin="anonymous">'
                    for u in urls)
    return HttpResponse(html.replace("</head>", f"{hints}</head>", 1),
                        content_type="text/html; charset=utf-8")
