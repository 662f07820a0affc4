"""Exceptions that services raise for the API layer to turn into JSON error responses.

Services stay HTTP-agnostic: they raise these, and ``designer.api.exceptions`` maps each one to a
status code and the uniform error body ``{"detail", "code", ...}``. Never raise them for bugs.
"""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """A request the service refuses, with a message that says how to fix it."""

    status_code = 400
    code = "invalid"

    def __init__(
        self, detail: str, *, code: str | None = None, extra: dict[str, Any] | None = None
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code
        self.extra = extra or {}

    def body(self) -> dict[str, Any]:
        return {"detail": self.detail, "code": self.code, **self.extra}


class GraphRejected(ServiceError):
    """A graph document (or a run of it) has problems; ``errors`` pins each to a node/port/param.

    ``errors`` holds ``GraphError.to_dict()`` dicts: ``{code, message, node, port, param, edge}``.
    """

    code = "invalid_graph"

    def __init__(
        self, detail: str, errors: list[dict[str, Any]], *, code: str | None = None
    ) -> None:
        super().__init__(detail, code=code, extra={"errors": errors})
        self.errors = errors


class Conflict(ServiceError):
    """The object is in a state that does not allow this action (e.g. cancelling a finished run)."""

    status_code = 409
    code = "conflict"


class NotFound(ServiceError):
    """The object does not exist or belongs to someone else (never say which)."""

    status_code = 404
    code = "not_found"


MAX_ID = 2**63 - 1


def check_id(value: int, what: str, *, maximum: int = MAX_ID) -> int:
    """``value`` if it can be a database id, else ``NotFound`` (not a database overflow error)."""
    if not 0 < value <= maximum:
        raise NotFound(f"{what} {value} not found.")
    return value
