"""How the development server runs: which broker and which processes (``choose_mode``), the
environment its children get (``child_env``), and the private ``redis-server`` it can start."""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

INLINE = "inline"  # no broker: the web process runs nodes itself (DESIGNER_EXECUTION=inline)
EXTERNAL_REDIS = "redis"  # REDIS_URL given: web + CPU worker + beat use it
PRIVATE_REDIS = "private-redis"  # redis-server on PATH: started by us, gone when we stop


@dataclass(frozen=True)
class Mode:
    """The chosen way to run, and why (printed at start-up)."""

    kind: str
    reason: str
    redis_url: str = ""

    @property
    def processes(self) -> tuple[str, ...]:
        return ("web",) if self.kind == INLINE else ("web", "worker", "beat")

    def describe(self) -> str:
        if self.kind == INLINE:
            return (f"inline execution ({self.reason}): the web process runs nodes itself; no "
                    "worker, no beat (schedules do not fire)")
        where = "private Redis" if self.kind == PRIVATE_REDIS else "Redis from REDIS_URL"
        return f"{where} ({self.reason}) at {self.redis_url}: web + CPU worker + beat"


def choose_mode(
    env: Mapping[str, str],
    *,
    redis_server: str | None,
    celery_app: bool,
    force_inline: bool = False,
) -> Mode:
    """``REDIS_URL`` if set; else a private Redis if ``redis-server`` is installed; else inline.

    ``redis_server`` is the path of ``redis-server`` (None when not on PATH); ``celery_app`` says
    whether ``workers/celery.py`` exists. A Mode for the private Redis has no URL yet: the caller
    starts the server and fills it in with ``with_url``.
    """
    if force_inline:
        return Mode(INLINE, "--inline was given")
    if env.get("DESIGNER_EXECUTION", "").strip().lower() == INLINE:
        return Mode(INLINE, "DESIGNER_EXECUTION=inline is set")
    if not celery_app:
        return Mode(INLINE, "workers/celery.py is missing, so there is no Celery app to start")
    url = env.get("REDIS_URL", "").strip()
    if url:
        return Mode(EXTERNAL_REDIS, "REDIS_URL is set", url)
    if redis_server:
        return Mode(PRIVATE_REDIS, f"REDIS_URL is not set; {redis_server} is installed")
    return Mode(INLINE, "REDIS_URL is not set and redis-server is not on PATH")


def with_url(mode: Mode, url: str) -> Mode:
    return Mode(mode.kind, mode.reason, url)


def child_env(base: Mapping[str, str], mode: Mode, root: Path) -> dict[str, str]:
    """The environment of every child: unbuffered output, the repo on ``PYTHONPATH``, and the
    broker settings of ``mode`` (inline: no ``REDIS_URL``, ``DESIGNER_EXECUTION=inline``)."""
    env = dict(base)
    env["PYTHONUNBUFFERED"] = "1"
    paths = [str(root), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    if mode.kind == INLINE:
        env.pop("REDIS_URL", None)
        env["DESIGNER_EXECUTION"] = INLINE
    else:
        env["REDIS_URL"] = mode.redis_url
    return env


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def private_redis_argv(redis_server: str, *, port: int, workdir: Path) -> list[str]:
    """``redis-server`` on 127.0.0.1:``port`` with no persistence (nothing survives a restart;
    runs in flight are failed by the reconciler, queued tasks are gone)."""
    return [
        redis_server,
        "--bind", "127.0.0.1",
        "--port", str(port),
        "--protected-mode", "yes",
        "--save", "",
        "--appendonly", "no",
        "--dir", str(workdir),
        "--loglevel", "warning",
    ]


def redis_answers(url: str, timeout: float = 2.0) -> bool:
    """Whether the Redis at ``url`` answers PING."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()
