"""A tiny process supervisor: start children in their own process groups, copy their output
line by line with a coloured ``name |`` prefix, and stop them all (TERM, then KILL)."""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TextIO

COLORS = {"web": "36", "worker": "32", "beat": "35", "redis": "31", "dev": "1;33"}
PR_SET_PDEATHSIG = 1


_PRCTL: Callable[..., int] | None
try:
    _PRCTL = ctypes.CDLL(None, use_errno=True).prctl  # Linux; resolved before any fork
except (OSError, AttributeError):
    _PRCTL = None


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM when the supervisor dies, even by SIGKILL, so a
    killed ``./dev up`` leaves no orphaned Redis or web server. One system call, no locks."""
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Child:
    name: str
    argv: list[str]
    cwd: Path
    env: dict[str, str]
    proc: subprocess.Popen[bytes] | None = None
    pump: threading.Thread | None = field(default=None, repr=False)

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


class Supervisor:
    """Children started by ``start`` and stopped, newest first, by ``stop_all``."""

    def __init__(self, out: TextIO | None = None, color: bool | None = None) -> None:
        self.out = out or sys.stdout
        if color is None:
            color = self.out.isatty() and "NO_COLOR" not in os.environ
        self.color = color
        self.children: list[Child] = []
        self.hurry = threading.Event()  # a second Ctrl-C: kill instead of waiting
        self._lock = threading.Lock()
        self._width = 6

    def say(self, name: str, line: str) -> None:
        prefix = f"{name:<{self._width}}|"
        if self.color:
            prefix = f"\033[{COLORS.get(name, '0')}m{prefix}\033[0m"
        with self._lock:
            self.out.write(f"{prefix} {line}\n")
            self.out.flush()

    def start(self, name: str, argv: Sequence[str], *, cwd: Path, env: dict[str, str]) -> Child:
        child = Child(name, list(argv), cwd, env)
        child.proc = subprocess.Popen(
            child.argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - a single prctl() call, see above
        )
        assert child.proc.stdout is not None
        child.pump = threading.Thread(target=self._pump, args=(name, child.proc.stdout),
                                      name=f"pump-{name}", daemon=True)
        child.pump.start()
        self.children.append(child)
        self.say("dev", f"started {name} (pid {child.proc.pid}): {' '.join(child.argv)}")
        return child

    def _pump(self, name: str, stream: IO[bytes]) -> None:
        for raw in iter(stream.readline, b""):
            self.say(name, raw.decode("utf-8", "replace").rstrip())
        stream.close()

    def first_exited(self) -> Child | None:
        return next((c for c in self.children if not c.running), None)

    def wait(self, stop: threading.Event, poll: float = 0.25) -> int:
        """Block until ``stop`` is set (0) or a child exits on its own (1)."""
        while not stop.wait(poll):
            dead = self.first_exited()
            if dead is not None:
                code = dead.proc.returncode if dead.proc else None
                self.say("dev", f"{dead.name} exited with code {code}; stopping everything")
                return 1
        return 0

    def stop_all(self, timeout: float = 10.0) -> None:
        """SIGTERM each child's process group (newest first, so the web and workers go before
        the Redis they use), wait up to ``timeout`` seconds, then SIGKILL what is left."""
        for child in reversed(self.children):
            if child.running:
                _signal_group(child, signal.SIGTERM)
                self._wait_exit(child, timeout)
            if child.running:
                self.say("dev", f"{child.name} did not stop in time; killing it")
            _signal_group(child, signal.SIGKILL)  # also stray grandchildren of a stopped child
            if child.proc is not None:
                child.proc.wait()
            if child.pump is not None:
                child.pump.join(timeout=2)

    def _wait_exit(self, child: Child, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while child.running and time.monotonic() < deadline and not self.hurry.is_set():
            time.sleep(0.05)


def _signal_group(child: Child, sig: signal.Signals) -> None:
    if child.proc is None:
        return
    try:
        os.killpg(child.proc.pid, sig)  # start_new_session: the group id is the child's pid
    except (ProcessLookupError, PermissionError):
        pass


def wait_for_port(host: str, port: int, *, timeout: float,
                  alive: Callable[[], bool] = lambda: True) -> bool:
    """Whether something accepts connections on host:port within ``timeout`` seconds; gives up
    early when ``alive()`` turns false (the process that should listen died)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and alive():
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False
