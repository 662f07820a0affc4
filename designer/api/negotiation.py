"""Content negotiation for endpoints that answer with files or code whatever ``Accept`` says."""

from __future__ import annotations

from typing import Any

from rest_framework.negotiation import BaseContentNegotiation


class IgnoreAccept(BaseContentNegotiation):
    """Pick the first renderer (JSON, used for errors); the view returns its own file response."""

    def select_parser(self, request: Any, parsers: list[Any]) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Any, renderers: list[Any], format_suffix: Any = None
                        ) -> tuple[Any, str]:
        return renderers[0], renderers[0].media_type
