"""``python -m designer.devserver``: start web (daphne), a Celery CPU worker and beat for local
development, print where to sign in, and stop everything on Ctrl-C or SIGTERM.

Mode (see ``modes.choose_mode``): ``REDIS_URL`` if set; else a private ``redis-server`` on a free
port under ``$DESIGNER_HOME/redis`` (no persistence); else inline execution in the web process.
Database: SQLite in ``$DESIGNER_HOME`` (default ``var/``), PostgreSQL when ``DATABASE_URL`` is set.
``./dev up`` runs the setup (packages, migrate, first user, samples) before this.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from designer.devserver import modes
from designer.devserver.procs import Supervisor, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
WEB_START_TIMEOUT = 90.0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m designer.devserver",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"),
                        help="address the web server binds (default $HOST or 127.0.0.1)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")),
                        help="web port (default $PORT or 8000)")
    parser.add_argument("--inline", action="store_true",
                        help="no broker: run nodes in the web process, start no worker or beat")
    parser.add_argument("--no-beat", action="store_true", help="do not start Celery beat")
    parser.add_argument("--skip-collectstatic", action="store_true",
                        help="do not collect static files (frontend, API docs) first")
    return parser


def _home() -> Path:
    return Path(os.environ.get("DESIGNER_HOME") or ROOT / "var").resolve()


def _prepare_django(sup: Supervisor, *, collectstatic: bool) -> str:
    """Collect static files and return a sign-in hint (this process sees the children's env)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")
    import django
    from django.conf import settings
    from django.db import DatabaseError, connections

    django.setup()
    if collectstatic:
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
    db = settings.DATABASES["default"]
    where = db["NAME"] if "sqlite" in db["ENGINE"] else f"{db['NAME']} on {db['HOST'] or 'local'}"
    sup.say("dev", f"database: {db['ENGINE'].rsplit('.', 1)[-1]} {where}")
    try:
        from django.contrib.auth import get_user_model

        names = list(get_user_model().objects.filter(is_superuser=True, is_active=True)
                     .order_by("id").values_list("username", flat=True)[:3])
    except DatabaseError:
        return "the database is not set up yet: stop and run ./dev setup (or ./dev up)"
    finally:
        connections.close_all()
    if names:
        return f"sign in as {', '.join(repr(n) for n in names)} (superuser)"
    return ("no user yet: in another terminal run\n"
            "    .venv/bin/python manage.py createsuperuser\n"
            "  or restart with\n"
            "    DESIGNER_ADMIN_USER=admin DESIGNER_ADMIN_PASSWORD=<password> ./dev up")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    sup = Supervisor()
    home = _home()
    if not modes.port_is_free(args.host, args.port):
        sup.say("dev", f"port {args.port} on {args.host} is in use (another ./dev up?); stop it "
                       f"or pick another port: PORT={args.port + 1} ./dev up")
        return 2
    mode = modes.choose_mode(
        os.environ, redis_server=shutil.which("redis-server"),
        celery_app=(ROOT / "workers" / "celery.py").is_file(), force_inline=args.inline,
    )
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            sup.hurry.set()
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        return _run(args, sup, mode, home, stop)
    finally:
        sup.stop_all()
        sup.say("dev", "stopped")


def _run(args: argparse.Namespace, sup: Supervisor, mode: modes.Mode, home: Path,
         stop: threading.Event) -> int:
    if mode.kind == modes.EXTERNAL_REDIS and not modes.redis_answers(mode.redis_url):
        sup.say("dev", f"REDIS_URL={mode.redis_url} does not answer; start that Redis, or unset "
                       "REDIS_URL to use a private redis-server or inline mode")
        return 2
    if mode.kind == modes.PRIVATE_REDIS:
        workdir = home / "redis"
        workdir.mkdir(parents=True, exist_ok=True)
        port = modes.free_port()
        argv = modes.private_redis_argv(shutil.which("redis-server") or "redis-server",
                                        port=port, workdir=workdir)
        redis = sup.start("redis", argv, cwd=workdir, env=dict(os.environ))
        mode = modes.with_url(mode, f"redis://127.0.0.1:{port}/0")
        if not wait_for_port("127.0.0.1", port, timeout=15, alive=lambda: redis.running):
            sup.say("dev", "the private redis-server did not start (see its lines above); "
                           "set REDIS_URL to a running Redis, or use --inline")
            return 1
    env = modes.child_env(os.environ, mode, ROOT)
    os.environ.clear()
    os.environ.update(env)  # Django in this process (collectstatic, user lookup) sees the same
    sup.say("dev", f"mode: {mode.describe()}")
    hint = _prepare_django(sup, collectstatic=not args.skip_collectstatic)

    py = sys.executable
    web = sup.start("web", [py, "-m", "daphne", "-b", args.host, "-p", str(args.port),
                            "designer.asgi:application"], cwd=ROOT, env=env)
    if "worker" in mode.processes:
        sup.start("worker", [py, "-m", "celery", "-A", "workers.celery", "worker", "-Q", "cpu",
                             "-P", "prefork", "-c", "2", "-l", "INFO",
                             # unique per dev server: Celery's remote control ignores the Redis
                             # db number, so two stacks on one machine would share a name
                             "-n", f"cpu-{args.port}-{os.getpid()}@%h"],
                  cwd=ROOT, env=env)
    if "beat" in mode.processes and not args.no_beat:
        # Its schedule file goes to $DESIGNER_HOME (CELERY_BEAT_SCHEDULE_FILENAME).
        sup.start("beat", [py, "-m", "celery", "-A", "workers.celery", "beat"],
                  cwd=ROOT, env=env)
    if not wait_for_port(args.host, args.port, timeout=WEB_START_TIMEOUT,
                         alive=lambda: web.running and not stop.is_set()):
        if stop.is_set():
            return 0
        sup.say("dev", f"the web server did not start listening on {args.host}:{args.port}; "
                       "see its lines above")
        return 1
    url = f"http://{'127.0.0.1' if args.host in ('0.0.0.0', '') else args.host}:{args.port}/"
    for line in (f"Designer is running at {url}  (API docs: {url}api/docs/)",
                 hint,
                 (f"API token for scripts and the SDK: POST {url}api/auth/token/ "
                  "with {\"username\", \"password\"}"),
                 "Ctrl-C stops everything."):
        for part in line.splitlines():
            sup.say("dev", part)
    return sup.wait(stop)


if __name__ == "__main__":
    sys.exit(main())
