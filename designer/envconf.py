"""Read the server's configuration from environment variables (twelve-factor style).

Tiny and dependency-free on purpose: ``settings.py`` calls these helpers and nothing else reads
the environment. ``database_from_url`` understands ``postgres://`` / ``postgresql://`` and
``sqlite:///`` URLs; anything else is a configuration error with a message saying what to write.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(ValueError):
    """An environment variable holds a value the server cannot use."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no or on/off")


def env_number(name: str, default: float, *, minimum: float = 0) -> float:
    """A number (int or float) of at least ``minimum``; unset or empty gives ``default``."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        example = f"{name}={default:g}"
        raise ConfigError(f"{name}={raw!r} is not a number; write e.g. {example}") from None
    if value < minimum:
        raise ConfigError(f"{name}={raw!r} is below {minimum:g}; use {minimum:g} or more")
    return value


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    """One of ``choices`` (case-insensitive); unset or empty gives ``default``."""
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw not in choices:
        raise ConfigError(f"{name}={raw!r} is not one of {', '.join(choices)}")
    return raw


def env_json_object(name: str) -> dict[str, Any]:
    """A JSON object (e.g. options for a client library); unset or empty gives ``{}``."""
    import json

    raw = os.environ.get(name, "").strip()
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{name} is not valid JSON ({exc.msg} at character {exc.pos}); "
                          f"write e.g. {name}='{{\"key\": \"value\"}}'") from None
    if not isinstance(value, dict):
        raise ConfigError(f"{name} must be a JSON object ({{...}}), not {type(value).__name__}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def sqlite_database(path: Path) -> dict[str, Any]:
    """SQLite tuned for a web process plus worker processes: WAL, a busy timeout, and
    ``BEGIN IMMEDIATE`` so writers queue instead of failing with "database is locked"."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


def database_from_url(url: str, *, base_dir: Path) -> dict[str, Any]:
    """Django ``DATABASES['default']`` from a URL.

    >>> url = "postgres://u:p%40ss@db:5433/app?sslmode=require"
    >>> database_from_url(url, base_dir=Path("."))["PASSWORD"]
    'p@ss'
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ConfigError(
                f"DATABASE_URL {url!r} names no database; write postgres://user@host:5432/designer"
            )
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": dict(parse_qsl(parts.query)),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    if scheme == "sqlite":
        # sqlite:///relative/path or sqlite:////absolute/path
        raw = unquote(parts.path)
        if raw.startswith("//"):
            path = Path(raw[1:])
        else:
            path = base_dir / raw.lstrip("/") if raw.strip("/") else base_dir / "designer.sqlite3"
        return sqlite_database(path)
    raise ConfigError(
        f"DATABASE_URL scheme {parts.scheme!r} is not supported; use postgres://user:password@host:"
        "5432/name or sqlite:///path/to/file.sqlite3"
    )
