"""Run a whole ``ExecutionPlan`` on this machine: the SDK's ``run()``, tests and the dev server.

Event-driven: a step is queued as soon as all its parents are done, cache hits are announced
without executing, a failure skips only its descendants. ``max_workers=1`` runs in this process in
plan order; more workers use a spawn-safe process pool for independent branches. Events follow
ARCHITECTURE.md §5. No server imports here (Celery drives the same executor from ``tasks.py``).
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import components.library
from components.sdk.context import LogSink, ProgressSink
from components.sdk.registry import REGISTRY, Registry
from designer.dag.plan import ExecutionPlan, Step
from workers import _pool
from workers.artifacts import ArtifactRef, ArtifactStore, LocalArtifactStore
from workers.executor import StepOutcome, make_context, run_step
from workers.scheduling import Emitter, EventSink, Schedule

__all__ = ["EventSink", "LocalRunner", "RunResult"]

RELAY_TIMEOUT_S = 10.0  # longest wait for a finished child's last log lines


@dataclass
class RunResult:
    """What a run produced: overall status, each step's outcome, and access to outputs."""

    run_id: str
    status: str  # succeeded | failed | cancelled
    steps: dict[str, StepOutcome]
    store: ArtifactStore = field(repr=False)
    events: list[dict[str, Any]] = field(default_factory=list, repr=False)
    duration_s: float = 0.0

    def outcome(self, step_id: str) -> StepOutcome:
        if step_id not in self.steps:
            raise KeyError(f"no step {step_id!r} in this run; steps: {sorted(self.steps)}")
        return self.steps[step_id]

    def ref(self, step_id: str, port: str) -> ArtifactRef:
        outcome = self.outcome(step_id)
        if port not in outcome.outputs:
            if not outcome.ok:
                raise KeyError(f"step {step_id!r} {outcome.status}: {outcome.error}")
            have = sorted(outcome.outputs)
            raise KeyError(f"step {step_id!r} has no output {port!r}; it has {have}")
        return outcome.outputs[port]

    def output(self, step_id: str, port: str) -> Any:
        """Load output ``port`` of ``step_id`` from the store."""
        return self.store.get(self.ref(step_id, port))

    def metrics(self, step_id: str) -> dict[str, float]:
        """The metrics output of ``step_id`` (the step must have exactly one)."""
        outcome = self.outcome(step_id)
        ports = [p for p, r in outcome.outputs.items() if r.type == "metrics"]
        if len(ports) != 1:
            raise KeyError(f"step {step_id!r} has {len(ports)} metrics outputs; use output()")
        return dict(self.output(step_id, ports[0]))


class LocalRunner:
    """Runs plans against one artifact store and registry.

    With ``max_workers > 1`` each child process rebuilds the registry with ``registry_loader``
    (default: the whole catalogue), so a private registry needs an importable loader.
    """

    def __init__(
        self,
        store: ArtifactStore,
        registry: Registry,
        *,
        data_dir: Path | None = None,
        max_workers: int = 1,
        registry_loader: _pool.RegistryLoader | None = None,
    ) -> None:
        if max_workers < 1:
            raise ValueError("max_workers must be at least 1")
        if max_workers > 1:
            if not isinstance(store, LocalArtifactStore):
                raise TypeError("the process pool needs a LocalArtifactStore; use max_workers=1")
            if registry is not REGISTRY and registry_loader is None:
                raise ValueError(
                    "worker processes cannot receive a private registry; pass registry_loader="
                    "<importable function returning it>, or use max_workers=1"
                )
        self.store, self.registry, self.max_workers = store, registry, max_workers
        self.data_dir = Path(data_dir) if data_dir is not None else None
        self.registry_loader: _pool.RegistryLoader = registry_loader or components.library.load

    def run(
        self,
        plan: ExecutionPlan,
        *,
        use_cache: bool = True,
        on_event: EventSink | None = None,
        cancel: threading.Event | None = None,
        run_id: str | None = None,
    ) -> RunResult:
        """Run every step of ``plan``; never raises for step failures (see ``RunResult.status``)."""
        start = time.perf_counter()
        emit = Emitter(run_id or uuid.uuid4().hex, on_event)
        cancel = cancel if cancel is not None else threading.Event()
        schedule = Schedule(plan, self.store, emit, use_cache)
        emit("run.started", graph_hash=plan.graph_hash, steps=plan.step_ids)
        schedule.resolve_known_hits()
        if self.max_workers == 1:
            self._run_serial(schedule, emit, cancel)
        else:
            self._run_pool(schedule, emit, cancel)
        status = schedule.status()
        duration = time.perf_counter() - start
        emit("run.finished", status=status, duration_s=duration)
        steps = {s.step_id: schedule.outcomes[s.step_id] for s in plan.steps}
        return RunResult(emit.run_id, status, steps, self.store, emit.events, duration)

    def _run_serial(self, schedule: Schedule, emit: Emitter, cancel: threading.Event) -> None:
        while True:
            if cancel.is_set():
                schedule.cancel_pending()
            schedule.advance()
            if not schedule.queued:
                return
            step = schedule.pop_ready()
            emit("node.started", step.step_id)
            on_log, on_progress = _sinks(emit, step.step_id)
            ctx = make_context(
                step,
                data_dir=self.data_dir,
                on_log=on_log,
                on_progress=on_progress,
                is_cancelled=cancel.is_set,
            )
            outcome = run_step(
                step, self.store, self.registry,
                input_refs=schedule.input_refs(step), ctx=ctx, use_cache=False,
            )
            schedule.complete(step, outcome)

    def _run_pool(self, schedule: Schedule, emit: Emitter, cancel: threading.Event) -> None:
        assert isinstance(self.store, LocalArtifactStore)
        mp = multiprocessing.get_context("spawn")
        messages = mp.Queue()
        cancel_flag = mp.Event()
        received: Counter[str] = Counter()
        running: dict[Future[dict[str, Any]], Step] = {}
        data_dir = str(self.data_dir) if self.data_dir is not None else None
        pool = ProcessPoolExecutor(
            self.max_workers,
            mp_context=mp,
            initializer=_pool.init_child,
            initargs=(messages, cancel_flag, self.registry_loader),
        )
        finished = False
        try:
            while True:
                if cancel.is_set():
                    cancel_flag.set()
                    schedule.cancel_pending()
                schedule.advance()
                while schedule.queued and len(running) < self.max_workers:
                    step = schedule.pop_ready()
                    emit("node.started", step.step_id)
                    refs = schedule.input_refs(step)
                    args = (
                        step.to_dict(),
                        {p: [r.to_dict() for r in rs] for p, rs in refs.items()},
                        str(self.store.root),
                        data_dir,
                    )
                    try:
                        running[pool.submit(_pool.run_in_child, *args)] = step
                    except Exception as exc:  # noqa: BLE001 - the pool broke (a child died)
                        error = f"could not start a worker process for this step: {exc!r}"
                        schedule.complete(step, StepOutcome("failed", error=error))
                if not running:
                    finished = True
                    return
                done, _ = wait(running, timeout=0.05, return_when=FIRST_COMPLETED)
                _relay(messages, emit, received)
                for future in done:
                    step = running.pop(future)
                    schedule.complete(step, _collect(future, step, messages, emit, received))
        finally:
            if not finished:  # an event sink raised: stop the children at their next check
                cancel_flag.set()
            # Every step is done: return now, and let idle workers that may still be starting up
            # exit in the background. The thread keeps the queue and event alive until then (a
            # child that is still starting reopens them by name).
            threading.Thread(
                target=_shut_down, args=(pool, messages, cancel_flag), name="designer-pool-stop"
            ).start()


def _sinks(emit: Emitter, node: str) -> tuple[LogSink, ProgressSink]:
    """Log and progress callbacks that turn a component's reports into events for ``node``."""

    def on_log(level: str, message: str) -> None:
        emit("node.log", node, level=level, message=message)

    def on_progress(value: float, maximum: float | None, text: str) -> None:
        emit("node.progress", node, value=value, max=maximum, text=text)

    return on_log, on_progress


def _shut_down(pool: ProcessPoolExecutor, *keep_alive: Any) -> None:
    pool.shutdown(wait=True, cancel_futures=True)


def _relay(
    messages: Any, emit: Emitter, received: Counter[str], *, until: tuple[str, int] | None = None
) -> None:
    """Emit queued child messages; with ``until=(step, n)`` block until that step sent ``n``."""
    deadline = time.monotonic() + RELAY_TIMEOUT_S
    while True:
        if until is not None and received[until[0]] >= until[1]:
            return
        try:
            if until is None:
                kind, node, fields = messages.get_nowait()
            else:
                kind, node, fields = messages.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            return
        received[node] += 1
        emit(kind, node, **fields)


def _collect(
    future: Future[dict[str, Any]],
    step: Step,
    messages: Any,
    emit: Emitter,
    received: Counter[str],
) -> StepOutcome:
    try:
        payload = future.result()
    except Exception as exc:  # noqa: BLE001 - a worker process died or the result did not pickle
        return StepOutcome("failed", error=f"the worker process running this step failed: {exc!r}")
    _relay(messages, emit, received, until=(step.step_id, int(payload["sent"])))
    return StepOutcome.from_dict(payload["outcome"])
