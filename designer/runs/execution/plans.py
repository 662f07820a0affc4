"""The compiled plan of a run, parsed once per process (plans are immutable, so caching is safe).

A 2,000-node plan is about a megabyte of JSON; every node task of the run needs its step, its
parents and its children, so each worker process parses it once and keeps the index.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock

from designer.dag.plan import ExecutionPlan, Step
from designer.runs.models import Run

CACHE_SIZE = 32


class RunGone(LookupError):
    """The run was deleted (its workflow was deleted) while it was executing."""


@dataclass(frozen=True)
class RunPlan:
    """A run's plan with lookups by node id."""

    plan: ExecutionPlan
    steps: dict[str, Step]
    children: dict[str, tuple[str, ...]]  # node -> children inside the plan

    @classmethod
    def of(cls, plan: ExecutionPlan) -> RunPlan:
        steps = {s.step_id: s for s in plan.steps}
        children: dict[str, list[str]] = {s: [] for s in steps}
        for step in plan.steps:
            for parent in step.parents:
                if parent in children:
                    children[parent].append(step.step_id)
        return cls(plan, steps, {k: tuple(v) for k, v in children.items()})

    def step(self, node_id: str) -> Step:
        try:
            return self.steps[node_id]
        except KeyError:
            raise KeyError(f"node {node_id!r} is not in this run's plan") from None

    def parents(self, node_id: str) -> tuple[str, ...]:
        return tuple(p for p in self.step(node_id).parents if p in self.steps)


_cache: OrderedDict[int, RunPlan] = OrderedDict()
_lock = Lock()


def plan_remember(run_id: int, plan: ExecutionPlan) -> RunPlan:
    """Cache the plan a run was just created with (the process that compiled it need not read
    it back)."""
    parsed = RunPlan.of(plan)
    with _lock:
        _cache[run_id] = parsed
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return parsed


def run_plan(run_id: int) -> RunPlan:
    """The plan of run ``run_id`` (parsed on first use in this process), or ``RunGone``."""
    with _lock:
        cached = _cache.get(run_id)
        if cached is not None:
            _cache.move_to_end(run_id)
            return cached
    data = Run.objects.filter(pk=run_id).values_list("plan", flat=True).first()
    if data is None:
        raise RunGone(f"run {run_id} no longer exists")
    return plan_remember(run_id, ExecutionPlan.from_dict(data))
