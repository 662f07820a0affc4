"""A real Celery worker process for execution tests and benchmarks: started against a given
database and Redis URL, stopped by the PID we started (and its pool children), never by name."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def redis_answers(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001 - any failure means "no Redis"
        return False


def postgres_url(settings_dict: dict[str, Any]) -> str:
    """A DATABASE_URL for the database Django is connected to (e.g. pytest-django's test DB)."""
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


class WorkerProcess:
    """``celery -A workers.celery worker -Q cpu -P prefork -c <n>`` with its own environment
    (``queue``/``pool``: e.g. a GPU worker, ``-Q gpu -P solo``)."""

    def __init__(self, env: dict[str, str], log_path: Path, *, concurrency: int = 2,
                 name: str = "designer-test", queue: str = "cpu", pool: str = "prefork"
                 ) -> None:
        self.env = {**os.environ, **env, "PYTHONUNBUFFERED": "1",
                    "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT),
                                                                os.environ.get("PYTHONPATH")]))}
        self.log_path = log_path
        self.hostname = f"{name}-{os.getpid()}@localhost"
        self.concurrency = concurrency
        self.queue, self.pool = queue, pool
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.proc is not None, "the worker is not started"
        return self.proc.pid

    def start(self, timeout: float = 90.0) -> None:
        log = open(self.log_path, "wb")  # noqa: SIM115 - kept open for the process's lifetime
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "workers.celery", "worker", "-Q", self.queue,
             "-P", self.pool, "-c", str(self.concurrency), "-n", self.hostname, "-l", "INFO",
             "--without-mingle", "--without-gossip"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the worker exited at start-up:\n{self.log_tail()}")
            if b" ready." in self.log_path.read_bytes():
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the worker was not ready after {timeout} s:\n{self.log_tail()}")

    def children(self) -> list[int]:
        """PIDs of the pool processes (children of the worker's main process)."""
        try:
            text = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text()
        except OSError:
            return []
        return [int(p) for p in text.split()]

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        """Warm shutdown of exactly our PID; SIGKILL it and its pool children after 15 s."""
        if self.proc is None or self.proc.poll() is not None:
            return
        children = self.children()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
        for child in children:
            try:
                os.kill(child, signal.SIGKILL)
            except ProcessLookupError:
                pass


class ServiceProcess:
    """Any long-running child (redis-server, celery beat) stopped by the PID we started."""

    def __init__(self, args: list[str], log_path: Path, env: dict[str, str] | None = None
                 ) -> None:
        self.args, self.log_path = args, log_path
        self.env = {**os.environ, **(env or {}),
                    "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT),
                                                                os.environ.get("PYTHONPATH")]))}
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = open(self.log_path, "ab")  # noqa: SIM115 - kept open for the process's lifetime
        self.proc = subprocess.Popen(self.args, cwd=ROOT, env=self.env, stdout=log,
                                     stderr=subprocess.STDOUT)

    def kill(self) -> None:
        """SIGKILL (a crash, for tests of what survives one)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


def redis_server(port: int, home: Path) -> ServiceProcess:
    """A private, non-persistent ``redis-server`` on ``port`` (started; wait with redis_answers)."""
    server = ServiceProcess(["redis-server", "--bind", "127.0.0.1", "--port", str(port),
                             "--save", "", "--appendonly", "no", "--dir", str(home)],
                            home / "redis.log")
    server.start()
    return server


@contextmanager
def consuming_paused(app: Any, worker: WorkerProcess, queue: str = "cpu") -> Iterator[None]:
    """Stop ``worker`` taking messages from ``queue`` inside the block (remote control)."""
    reply = app.control.cancel_consumer(queue, destination=[worker.hostname], reply=True,
                                        timeout=5)
    assert reply, f"worker {worker.hostname} did not answer cancel_consumer"
    # A BRPOP the worker issued before the cancel still takes the next message off the list:
    # wait for it to time out (kombu polls with 1 s).
    time.sleep(1.2)
    try:
        yield
    finally:
        app.control.add_consumer(queue, destination=[worker.hostname], reply=True, timeout=5)


def wait_finished(run_id: int, worker: WorkerProcess | None = None, timeout: float = 40.0
                  ) -> Any:
    """The run once it is finished (polling the database), or AssertionError with its nodes."""
    from designer.runs.models import NodeRun, Run

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = Run.objects.get(pk=run_id)
        if run.is_finished:
            return run
        time.sleep(0.05)
    nodes = list(NodeRun.objects.filter(run_id=run_id).values_list("node_id", "status"))
    tail = worker.log_tail() if worker is not None else ""
    raise AssertionError(f"run {run_id} not finished after {timeout} s: {nodes}\n{tail}")
