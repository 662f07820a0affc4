"""Bookkeeping of one local run: which steps wait, are queued or done, and the numbered events.

Used by ``workers.runner.LocalRunner``; the Celery path keeps the same state in the database.
Pure: no processes, no server imports.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from designer.dag.plan import ExecutionPlan, Step
from workers.artifacts import ArtifactRef, ArtifactStore
from workers.executor import StepOutcome, cached_outputs, effective_cache_key

EventSink = Callable[[dict[str, Any]], None]
UPSTREAM_FAILED = "upstream failed"  # reasons given with node.skipped
RUN_CANCELLED = "run cancelled"


class Emitter:
    """Numbers events (``seq``), stamps them (``ts``), keeps them and passes them to the sink."""

    def __init__(self, run_id: str, sink: EventSink | None) -> None:
        self.run_id, self.sink, self.seq = run_id, sink, 0
        self.events: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def __call__(self, type_: str, node: str | None = None, **fields: Any) -> None:
        with self._lock:
            self.seq += 1
            event: dict[str, Any] = {"type": type_, "run": self.run_id, "seq": self.seq}
            if node is not None:
                event["node"] = node
            event.update(ts=time.time(), **fields)
            self.events.append(event)
        if self.sink is not None:
            self.sink(event)


class Schedule:
    """Which steps wait, are queued or finished; emits the event for every change."""

    def __init__(
        self, plan: ExecutionPlan, store: ArtifactStore, emit: Emitter, use_cache: bool
    ) -> None:
        self.store, self.emit, self.use_cache = store, emit, use_cache
        self.force = set(plan.force)
        self.outcomes: dict[str, StepOutcome] = {}
        self.waiting: list[Step] = list(plan.steps)  # plan order is topological
        self.queued: list[Step] = []  # ready, not started; kept in plan order
        self._index = {step_id: i for i, step_id in enumerate(plan.step_ids)}
        self.cancelled = False
        known = set(plan.step_ids)
        for step in plan.steps:
            unknown = [p for p in step.parents if p not in known]
            if unknown:
                raise ValueError(f"step {step.step_id!r} reads from {unknown}, not in the plan")

    def input_refs(self, step: Step) -> dict[str, list[ArtifactRef]]:
        return {
            port: [self.outcomes[r.step_id].outputs[r.port] for r in refs]
            for port, refs in step.inputs.items()
        }

    def _hit(self, step: Step, key: str | None) -> dict[str, ArtifactRef] | None:
        if not self.use_cache or step.step_id in self.force:
            return None
        return cached_outputs(self.store, step, key)

    def resolve_known_hits(self) -> None:
        """Announce at once every step whose compile-time key is already in the cache."""
        for step in list(self.waiting):
            if step.cacheable and step.cache_key is not None:
                hit = self._hit(step, step.cache_key)
                if hit is not None:
                    self.waiting.remove(step)
                    self.complete(step, StepOutcome("cached", hit, step.cache_key))

    def advance(self) -> None:
        """Skip steps below a failure, resolve runtime-key cache hits, queue the ready steps."""
        still: list[Step] = []
        for step in self.waiting:  # one pass settles chains: parents come first
            parents = [self.outcomes.get(p) for p in step.parents]
            failed = [p for p, o in zip(step.parents, parents, strict=True) if o and not o.ok]
            blocker = failed[0] if failed else None
            if blocker is not None:
                upstream = self.outcomes[blocker]
                cancelled = upstream.status == "cancelled" or upstream.error == RUN_CANCELLED
                reason = RUN_CANCELLED if cancelled else UPSTREAM_FAILED
                self.outcomes[step.step_id] = StepOutcome("skipped", error=reason)
                self.emit("node.skipped", step.step_id, reason=reason, upstream=blocker)
            elif all(o is not None for o in parents):
                key = effective_cache_key(step, self.input_refs(step))
                hit = self._hit(step, key)
                if hit is not None:
                    self.complete(step, StepOutcome("cached", hit, key))
                else:
                    self.queued.append(step)
                    self.queued.sort(key=lambda s: self._index[s.step_id])
                    self.emit("node.queued", step.step_id, queue=step.queue)
            else:
                still.append(step)
        self.waiting = still

    def pop_ready(self) -> Step:
        """The queued step that comes first in plan order (serial runs follow the plan exactly)."""
        return self.queued.pop(0)

    def cancel_pending(self) -> None:
        """The run was cancelled: nothing that has not started will start."""
        self.cancelled = True
        for step in [*self.queued, *self.waiting]:
            self.outcomes[step.step_id] = StepOutcome("skipped", error=RUN_CANCELLED)
            self.emit("node.skipped", step.step_id, reason=RUN_CANCELLED)
        self.queued.clear()
        self.waiting.clear()

    def complete(self, step: Step, outcome: StepOutcome) -> None:
        self.outcomes[step.step_id] = outcome
        node, status = step.step_id, outcome.status
        outputs = {p: r.to_dict() for p, r in outcome.outputs.items()}
        if status == "cached":
            self.emit("node.cached", node, outputs=outputs, cache_key=outcome.cache_key)
        elif status == "succeeded":
            self.emit("node.succeeded", node, outputs=outputs, duration_s=outcome.duration_s)
        elif status == "cancelled":
            self.emit("node.cancelled", node, error=outcome.error)
        else:
            self.emit("node.failed", node, error=outcome.error, traceback=outcome.traceback)

    def status(self) -> str:
        statuses = {o.status for o in self.outcomes.values()}
        if self.cancelled or "cancelled" in statuses:
            return "cancelled"
        return "failed" if statuses & {"failed", "skipped"} else "succeeded"
