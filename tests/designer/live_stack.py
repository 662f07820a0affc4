"""A real Designer server for tests: a scratch ``DESIGNER_HOME`` with a SQLite database after
``manage.py migrate`` + ``designer_bootstrap``, then ``python -m designer.devserver`` on a free
port, exactly as ``./dev up`` runs it; stopped with SIGTERM by its PID.

The children get no ``DATABASE_URL``/``REDIS_URL`` from the test session, so the server picks
its own mode (a private redis-server and a real Celery worker when Redis is installed, else
inline) and never shares a broker or database with other tests.
"""

from __future__ import annotations

import atexit
import functools
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from designer.devserver.modes import free_port
from designer.sdk.remote import fetch_token

ROOT = Path(__file__).resolve().parents[2]
ADMIN_USER, ADMIN_PASSWORD = "admin", "admin-password-1"
DATABASE = "designer.sqlite3"  # settings: $DESIGNER_HOME/designer.sqlite3 without DATABASE_URL
_DROP = ("DATABASE_URL", "REDIS_URL", "DESIGNER_EXECUTION", "DESIGNER_HOME", "PORT",
         "DJANGO_SETTINGS_MODULE", "DESIGNER_URL", "DESIGNER_TOKEN")


@dataclass
class LiveStack:
    url: str
    token: str
    proc: subprocess.Popen[bytes]
    log: Path
    env: dict[str, str]

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def child_pids(self) -> dict[str, int]:
        """``{name: pid}`` of the children the dev server reported starting."""
        return {m[1]: int(m[2]) for m in re.finditer(r"started (\w+) \(pid (\d+)\)",
                                                       self.output())}

    def stop(self, timeout: float = 45) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"devserver ignored SIGTERM:\n{self.output()[-3000:]}") from None


def stack_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROP}
    env.update(DESIGNER_HOME=str(home), DESIGNER_ADMIN_USER=ADMIN_USER,
               DESIGNER_ADMIN_PASSWORD=ADMIN_PASSWORD, NO_COLOR="1", **extra)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, f"manage.py {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@functools.cache
def _bootstrapped_database() -> Path:
    """A SQLite database after ``migrate`` and ``designer_bootstrap`` (the admin user and the
    samples), made once per test session (~10 s) and copied into each stack's home."""
    home = Path(tempfile.mkdtemp(prefix="designer-live-template-"))
    atexit.register(shutil.rmtree, home, ignore_errors=True)
    env = stack_env(home)
    manage(env, "migrate", "--noinput")
    assert "superuser 'admin' created" in manage(env, "designer_bootstrap")
    return home / DATABASE


def start_stack(home: Path, *args: str, timeout: float = 120, **extra: str) -> LiveStack:
    """Set up ``home`` and start the dev server with ``args`` (e.g. ``--inline``). With a
    ``DATABASE_URL`` in ``extra``, that database is set up as ``./dev up`` does; otherwise a
    copy of the session's bootstrapped SQLite database is used."""
    home.mkdir(parents=True, exist_ok=True)
    env = stack_env(home, **extra)
    if "DATABASE_URL" in extra:
        manage(env, "migrate", "--noinput")
        manage(env, "designer_bootstrap")
    else:
        shutil.copy(_bootstrapped_database(), home / DATABASE)
    port = free_port()
    log = home / "devserver.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "designer.devserver", "--port", str(port),
                                 *args], cwd=ROOT, env=env, stdout=sink,
                                stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    stack = LiveStack(url, "", proc, log, env)
    deadline = time.monotonic() + timeout
    while "Designer is running" not in stack.output():
        if proc.poll() is not None or time.monotonic() > deadline:
            stack.stop()
            raise AssertionError(f"devserver did not start:\n{stack.output()[-3000:]}")
        time.sleep(0.2)
    try:
        stack.token = fetch_token(url, ADMIN_USER, ADMIN_PASSWORD)
    except Exception:
        stack.stop()
        raise
    return stack


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead too
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False
