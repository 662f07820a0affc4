"""The development server behind ``./dev up``: mode choice, the children's environment, and real
start-ups (private Redis + worker + beat, and inline) that serve the API, execute a run and stop
every child on SIGTERM."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any
from urllib.request import Request, urlopen

import pytest
from live_stack import LiveStack, pid_alive, start_stack

from designer.devserver import modes

ROOT = Path(__file__).resolve().parents[2]


# mode choice ----------------------------------------------------------------------------------
def test_redis_url_wins() -> None:
    mode = modes.choose_mode({"REDIS_URL": "redis://h:6379/3"},
                             redis_server="/usr/bin/redis-server", celery_app=True)
    assert (mode.kind, mode.redis_url) == (modes.EXTERNAL_REDIS, "redis://h:6379/3")
    assert mode.processes == ("web", "worker", "beat")


def test_installed_redis_gives_a_private_one_else_inline() -> None:
    assert modes.choose_mode({}, redis_server="/usr/bin/redis-server",
                             celery_app=True).kind == modes.PRIVATE_REDIS
    inline = modes.choose_mode({}, redis_server=None, celery_app=True)
    assert inline.kind == modes.INLINE and inline.processes == ("web",)
    assert "redis-server is not on PATH" in inline.reason


@pytest.mark.parametrize(("env", "kwargs", "why"), [
    ({"REDIS_URL": "redis://h/0"}, {"force_inline": True}, "--inline"),
    ({"REDIS_URL": "redis://h/0", "DESIGNER_EXECUTION": "inline"}, {}, "DESIGNER_EXECUTION"),
    ({"REDIS_URL": "redis://h/0"}, {"celery_app": False}, "workers/celery.py"),
])
def test_inline_when_asked_or_without_a_celery_app(env: dict[str, str], kwargs: dict[str, Any],
                                                   why: str) -> None:
    options = {"redis_server": "/usr/bin/redis-server", "celery_app": True, **kwargs}
    mode = modes.choose_mode(env, **options)
    assert mode.kind == modes.INLINE and why in mode.reason


def test_child_env_carries_the_mode() -> None:
    base = {"REDIS_URL": "redis://stale/0", "PYTHONPATH": "/x", "HOME": "/root"}
    inline = modes.child_env(base, modes.Mode(modes.INLINE, "test"), ROOT)
    assert "REDIS_URL" not in inline and inline["DESIGNER_EXECUTION"] == "inline"
    assert inline["PYTHONPATH"].split(":") == [str(ROOT), "/x"] and inline["HOME"] == "/root"
    private = modes.child_env(base, modes.Mode(modes.PRIVATE_REDIS, "t", "redis://127.0.0.1:7/0"),
                              ROOT)
    assert private["REDIS_URL"] == "redis://127.0.0.1:7/0" and "DESIGNER_EXECUTION" not in private


def test_private_redis_keeps_nothing_on_disk(tmp_path: Path) -> None:
    argv = modes.private_redis_argv("redis-server", port=7001, workdir=tmp_path)
    flags = dict(zip(argv[1::2], argv[2::2], strict=True))
    assert flags["--save"] == "" and flags["--appendonly"] == "no"
    assert flags["--bind"] == "127.0.0.1" and flags["--dir"] == str(tmp_path)


def test_a_busy_port_is_reported_not_fought_over(tmp_path: Path) -> None:
    import socket
    import subprocess
    import sys

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "designer.devserver", "--port", str(port)],
                              cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
                              env={"PATH": "/usr/bin:/bin", "DESIGNER_HOME": str(tmp_path)})
    assert done.returncode == 2
    assert f"PORT={port + 1} ./dev up" in done.stdout


# real start-ups -------------------------------------------------------------------------------
def _api(stack: LiveStack, method: str, path: str, body: Any = None) -> Any:
    request = Request(stack.url + path, method=method,
                      data=None if body is None else json.dumps(body).encode(),
                      headers={"Authorization": f"Token {stack.token}",
                               "Content-Type": "application/json"})
    with urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def _run_a_sample_to_the_end(stack: LiveStack) -> dict[str, Any]:
    workflows = _api(stack, "GET", "/api/workflows/")["results"]
    iris = next(w for w in workflows if w["name"].startswith("Iris"))
    run = _api(stack, "POST", f"/api/workflows/{iris['id']}/runs/", {})
    deadline = time.monotonic() + 120
    while run["status"] not in ("succeeded", "failed", "cancelled"):
        assert time.monotonic() < deadline, f"run stuck: {run}\n{stack.output()[-3000:]}"
        time.sleep(0.2)
        run = _api(stack, "GET", f"/api/runs/{run['id']}/")
    return run  # type: ignore[no-any-return]


def _executing_pids(stack: LiveStack, run: dict[str, Any]) -> set[int]:
    """PIDs of the processes that executed the run's nodes (node.started names ``host:pid``)."""
    events = _api(stack, "GET", f"/api/runs/{run['id']}/events/")["events"]
    return {int(e["worker"].rsplit(":", 1)[1]) for e in events if e["type"] == "node.started"}


def _parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def _assert_stops_everything(stack: LiveStack, expected: set[str]) -> None:
    pids = stack.child_pids()
    assert set(pids) == expected, stack.output()[-3000:]
    assert stack.stop() == 0, stack.output()[-3000:]
    time.sleep(0.2)
    assert not [name for name, pid in pids.items() if pid_alive(pid)], stack.output()[-3000:]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")
def test_default_mode_starts_private_redis_worker_and_beat_and_stops_them(tmp_path: Path) -> None:
    stack = start_stack(tmp_path / "home")
    try:
        out = stack.output()
        assert "mode: private Redis" in out and "sign in as 'admin'" in out
        assert _api(stack, "GET", "/api/me/")["username"] == "admin"
        with urlopen(stack.url + "/api/docs/", timeout=30) as docs:  # offline Swagger UI
            script = next(part.split('"')[1] for part in docs.read().decode().split("src=")[1:]
                          if "swagger-ui-bundle" in part)
        with urlopen(stack.url + script, timeout=30) as bundle:
            assert bundle.status == 200
        run = _run_a_sample_to_the_end(stack)
        assert run["status"] == "succeeded", run
        pids = stack.child_pids()  # nodes ran in the Celery worker's prefork pool, not the web
        assert {_parent_of(pid) for pid in _executing_pids(stack, run)} == {pids["worker"]}
    finally:
        if stack.proc.poll() is None:
            _assert_stops_everything(stack, {"redis", "web", "worker", "beat"})


@pytest.mark.slow
def test_inline_mode_runs_nodes_in_the_web_process(tmp_path: Path) -> None:
    stack = start_stack(tmp_path / "home", "--inline", "--skip-collectstatic")
    try:
        assert "mode: inline execution (--inline was given)" in stack.output()
        run = _run_a_sample_to_the_end(stack)
        assert run["status"] == "succeeded", run
        assert {n["status"] for n in run["nodes"]} == {"succeeded"}
        assert _executing_pids(stack, run) == {stack.child_pids()["web"]}
        # the web process, which runs the nodes, imports their libraries from its start on
        deadline = time.monotonic() + 60
        while "libraries for the nodes imported in" not in stack.output():
            assert time.monotonic() < deadline, stack.output()[-3000:]
            time.sleep(0.2)
    finally:
        _assert_stops_everything(stack, {"web"})
