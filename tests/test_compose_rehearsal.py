"""docker-compose.yml rehearsed without Docker (this machine kind has no engine): every Designer
service started with the command, environment and health check the file gives it, in the order
its ``depends_on`` asks for, on this machine; then the PyTorch sample that the web service's
start-up loaded runs through the REST API with the first user's token: its network on the GPU
worker (``-P solo``, on this CPU), the rest on the CPU worker, and beat keeps the reconciler
going. What the rehearsal maps, because only Docker provides it:

- host ``postgres`` -> this machine's PostgreSQL, a fresh database (as the trust-auth superuser);
- host ``redis`` -> a ``redis-server`` with the file's own arguments, on a free port;
- the ``artifacts`` volume at ``/data`` -> a scratch folder; the web's port 8000 -> a free one;
- ``python``, ``celery``, ``daphne`` -> this checkout's virtual environment (the image's PATH);
- ``$$HOSTNAME`` in health checks -> ``$HOSTNAME``, set to this machine's name as a container's;
- plus ``DESIGNER_RECONCILE_INTERVAL_S=1``, so beat's schedule shows within the test.

Images, volumes, the network and the GPU reservation are not exercised (test_deployment.py reads
them). Skipped without PostgreSQL or ``redis-server``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from compose_file import interpolate, load_compose

from designer.devserver.modes import free_port

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
DB_NAME = "designer_compose_rehearsal"
ADMIN_PASSWORD = "rehearsal-password-1"
SAMPLE_TITLE = "Handwritten digits: PyTorch neural network"

pytestmark = pytest.mark.slow


def argv(command: Any) -> list[str]:
    return [str(part) for part in command] if isinstance(command, list) else ["sh", "-c", command]


class Service:
    """One compose service as a local process (its own process group, stopped by PID)."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], logs: Path) -> None:
        self.name, self.args, self.env = name, args, env
        self.log_path = logs / f"{name}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = open(self.log_path, "wb")  # noqa: SIM115 - kept open for the process's lifetime
        self.proc = subprocess.Popen(self.args, cwd=ROOT, env=self.env, stdout=log,
                                     stderr=subprocess.STDOUT, start_new_session=True)

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return f"--- {self.name} ---\n" + "\n".join(text.splitlines()[-lines:])

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)  # compose stop: SIGTERM, then SIGKILL
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        try:  # pool children left behind by a killed worker
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


class Rehearsal:
    def __init__(self, home: Path) -> None:
        self.compose = load_compose()
        self.home = home
        self.data = home / "data"
        self.data.mkdir()
        self.web_port, self.redis_port = free_port(), free_port()
        self.hostname = socket.gethostname()
        self.operator = {"SECRET_KEY": "rehearsal-" + "k" * 40,
                         "DESIGNER_ADMIN_PASSWORD": ADMIN_PASSWORD}
        self.services: dict[str, Service] = {}

    def localise(self, text: str) -> str:
        """A compose value or command as it reads on this machine (see the module's list)."""
        text = text.replace("@postgres:5432/designer", f"@127.0.0.1:5432/{DB_NAME}")
        text = re.sub(r"postgres://designer:[^@]*@", "postgres://postgres@", text)
        text = text.replace("redis://redis:6379", f"redis://127.0.0.1:{self.redis_port}")
        text = re.sub(r"(?<![\w.])/data\b", str(self.data), text)
        text = text.replace("-p 8000", f"-p {self.web_port}")
        return text.replace("127.0.0.1:8000/", f"127.0.0.1:{self.web_port}/")

    def env(self, name: str) -> dict[str, str]:
        declared = self.compose["services"][name].get("environment") or {}
        env = {k: self.localise(interpolate(str(v), self.operator)) for k, v in declared.items()}
        # a container's environment: the image's ENV lines, then the service's (nothing of
        # this test process's own, which a container would not have either)
        image = {"PATH": f"{BIN}{os.pathsep}/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8",
                 "HOME": str(self.home), "HOSTNAME": self.hostname, "PYTHONUNBUFFERED": "1",
                 "PYTHONDONTWRITEBYTECODE": "1", "DESIGNER_HOME": str(self.data)}
        return {**image, **env, "DESIGNER_RECONCILE_INTERVAL_S": "1"}

    def start(self, name: str) -> Service:
        spec = self.compose["services"][name]
        args = [self.localise(interpolate(a, self.operator)) for a in argv(spec["command"])]
        if name == "redis":
            args += ["--bind", "127.0.0.1", "--port", str(self.redis_port),
                     "--dir", str(self.home)]
        service = self.services[name] = Service(name, args, self.env(name), self.home)
        service.start()
        return service

    def healthy(self, name: str) -> bool:
        """The service's own health check command, run as Docker would (exit status 0)."""
        test = self.compose["services"][name]["healthcheck"]["test"]
        kind, rest = test[0], test[1:]
        args = ["sh", "-c", rest[0]] if kind == "CMD-SHELL" else [str(a) for a in rest]
        args = [self.localise(a.replace("$$", "$")) for a in args]
        try:
            done = subprocess.run(args, cwd=ROOT, env=self.env(name), capture_output=True,
                                  timeout=30)
        except subprocess.TimeoutExpired:
            return False
        return done.returncode == 0

    def wait(self, what: str, ready: Callable[[], bool], timeout: float = 150) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            dead = [s.name for s in self.services.values() if not s.running()]
            if dead:
                raise AssertionError(f"{dead} exited while waiting for {what}\n{self.logs()}")
            if ready():
                return
            time.sleep(0.5)
        raise AssertionError(f"timed out waiting for {what}\n{self.logs()}")

    def logs(self) -> str:
        return "\n".join(s.log_tail() for s in self.services.values())

    def api(self, method: str, path: str, body: Any = None, token: str = "") -> Any:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.web_port}{path}", method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json",
                     **({"Authorization": f"Token {token}"} if token else {})})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{method} {path}: {error.code} {error.read()[:500]!r}"
                                 ) from None


def _database(create: bool) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=2) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        if create:
            conn.execute(f"CREATE DATABASE {DB_NAME}")


@pytest.fixture
def rehearsal(tmp_path: Path) -> Iterator[Rehearsal]:
    if shutil.which("redis-server") is None:
        pytest.skip("the rehearsal starts redis-server with the file's arguments")
    try:
        _database(create=True)
    except Exception as error:  # noqa: BLE001 - no PostgreSQL here
        pytest.skip(f"the rehearsal needs PostgreSQL at 127.0.0.1:5432 ({error})")
    stack = Rehearsal(tmp_path)
    try:
        yield stack
    finally:
        for service in reversed(list(stack.services.values())):
            service.stop()
        _database(create=False)


def test_the_compose_services_start_as_written_and_run_a_sample(rehearsal: Rehearsal) -> None:
    # given: the stack started in compose's order, each service once its dependencies are
    # healthy by their own checks (postgres: this machine's, up already)
    rehearsal.start("redis")
    rehearsal.wait("redis", lambda: rehearsal.healthy("redis"), timeout=30)
    rehearsal.start("web")  # migrate, collectstatic, the first user and samples, then daphne
    rehearsal.wait("web's health check", lambda: rehearsal.healthy("web"))
    for name in ("worker-cpu", "worker-gpu", "beat"):
        rehearsal.start(name)
    for name in ("worker-cpu", "worker-gpu"):
        rehearsal.wait(f"{name}'s health check", lambda n=name: rehearsal.healthy(n))

    # when: the first user (created by the web's start-up) runs the PyTorch sample
    token = rehearsal.api("POST", "/api/auth/token/",
                          {"username": "admin", "password": ADMIN_PASSWORD})["token"]
    workflows = rehearsal.api("GET", "/api/workflows/?page_size=100", token=token)["results"]
    (digits,) = [w for w in workflows if w["name"] == SAMPLE_TITLE]
    run = rehearsal.api("POST", f"/api/workflows/{digits['id']}/runs/", {"use_cache": False},
                        token=token)

    def finished() -> bool:
        nonlocal run
        run = rehearsal.api("GET", f"/api/runs/{run['id']}/", token=token)
        return run["status"] in ("succeeded", "failed", "cancelled")

    rehearsal.wait(f"run {run['id']}", finished, timeout=120)

    # then: it succeeded, the network on the GPU worker and everything else on the CPU worker
    assert run["status"] == "succeeded", (run["error"], rehearsal.logs())
    events = rehearsal.api("GET", f"/api/runs/{run['id']}/events/?limit=1000",
                           token=token)["events"]
    ran_on = {e["node"]: e["worker"] for e in events if e["type"] == "node.started"}
    gpu = rehearsal.services["worker-gpu"].proc
    assert gpu is not None
    assert ran_on.pop("torch_mlp_classifier") == f"{rehearsal.hostname}:{gpu.pid}"
    assert len(ran_on) == 5 and f":{gpu.pid}" not in " ".join(ran_on.values())
    metrics = rehearsal.api(
        "GET", f"/api/runs/{run['id']}/nodes/classification_metrics/outputs/metrics/",
        token=token)
    assert json.dumps(metrics).count("accuracy") >= 1
    # the canvas's files, collected by the web's start-up, are served
    with urllib.request.urlopen(f"http://127.0.0.1:{rehearsal.web_port}/accounts/login/",
                                timeout=10) as page:
        assert page.status == 200
    # and beat keeps the reconciler going: the CPU worker has run it
    from celery import Celery

    control = Celery(broker=rehearsal.env("beat")["REDIS_URL"]).control

    def reconciled() -> bool:
        stats = control.inspect(destination=[f"cpu@{rehearsal.hostname}"], timeout=5).stats()
        totals = (stats or {}).get(f"cpu@{rehearsal.hostname}", {}).get("total", {})
        return totals.get("workers.reconcile_runs", 0) > 0

    rehearsal.wait("beat's reconciler", reconciled, timeout=30)
