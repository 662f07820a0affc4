"""The live Designer for browser tests, started as ``./dev up`` starts it: ``manage.py migrate`` and
``designer_bootstrap`` (user ``admin`` and the sample workflows), then ``python -m
designer.devserver`` (daphne, a Celery worker and beat). Stopped with SIGTERM by its PID; the
dev server stops its children."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from designer.devserver.modes import free_port
from designer.sdk.remote import fetch_token

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"  # screenshots (gitignored)
ADMIN_USER, ADMIN_PASSWORD = "admin", "admin-password-1"
# The test session's own settings never leak into the server's.
_DROP = ("DATABASE_URL", "REDIS_URL", "DESIGNER_EXECUTION", "DESIGNER_HOME", "PORT",
         "DJANGO_SETTINGS_MODULE", "DESIGNER_URL", "DESIGNER_TOKEN")


@dataclass
class LiveStack:
    url: str
    token: str
    proc: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self, timeout: float = 45) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _manage(env: dict[str, str], *args: str) -> None:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"manage.py {' '.join(args)}:\n{done.stdout}\n{done.stderr}"


def start(home: Path, *, timeout: float = 120, **settings: str) -> LiveStack:
    """Set up a database in ``settings`` (``DATABASE_URL``...; default SQLite in ``home``) and
    start the dev server on a free port."""
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in _DROP}
    env.update(DESIGNER_HOME=str(home), DESIGNER_ADMIN_USER=ADMIN_USER,
               DESIGNER_ADMIN_PASSWORD=ADMIN_PASSWORD, NO_COLOR="1", **settings)
    _manage(env, "migrate", "--noinput")
    _manage(env, "designer_bootstrap")
    port = free_port()
    log = home / "devserver.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "designer.devserver", "--port", str(port),
                                 "--skip-collectstatic"], cwd=ROOT, env=env, stdout=sink,
                                stderr=subprocess.STDOUT)
    stack = LiveStack(f"http://127.0.0.1:{port}", "", proc, log)
    deadline = time.monotonic() + timeout
    while "Designer is running" not in stack.output():
        if proc.poll() is not None or time.monotonic() > deadline:
            stack.stop()
            raise AssertionError(f"the dev server did not start:\n{stack.output()[-3000:]}")
        time.sleep(0.2)
    try:
        stack.token = fetch_token(stack.url, ADMIN_USER, ADMIN_PASSWORD)
    except Exception:
        stack.stop()
        raise
    return stack
