"""The execution plan: what the compiler produces and every runner (in-process, Celery) consumes.

A plan is immutable and JSON-serialisable, so the server stores it with the run and a rerun is
reproducible. Steps are listed in topological order. ``cache_key`` is known at compile time when
every upstream step is cacheable; downstream of a non-cacheable step (a file reader) it is None
and the runner derives it from the input artifacts' content digests (``runtime_cache_key``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class InputRef:
    """One edge into a step: the upstream step and its output port."""

    step_id: str
    port: str


@dataclass(frozen=True)
class Step:
    step_id: str  # the node id
    component_id: str
    component_version: int
    params: dict[str, Any]  # resolved: defaults filled in, JSON values
    inputs: dict[str, tuple[InputRef, ...]]  # port -> edges (one for single inputs)
    outputs: tuple[str, ...]  # output port names
    queue: str  # "cpu" | "gpu"
    cache_key: str | None  # None: derive at run time from input digests
    cacheable: bool
    seed: int
    label: str | None = None

    @property
    def parents(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for refs in self.inputs.values():
            for ref in refs:
                seen.setdefault(ref.step_id)
        return tuple(seen)

    def to_dict(self) -> dict[str, Any]:
        # Written out: ``dataclasses.asdict`` walks and deep-copies every value generically, a
        # millisecond per ten steps, and a run stores the plan of all its steps when created.
        return {
            "step_id": self.step_id,
            "component_id": self.component_id,
            "component_version": self.component_version,
            "params": _json_copy(self.params),
            "inputs": {
                p: [{"step_id": r.step_id, "port": r.port} for r in refs]
                for p, refs in self.inputs.items()
            },
            "outputs": list(self.outputs),
            "queue": self.queue,
            "cache_key": self.cache_key,
            "cacheable": self.cacheable,
            "seed": self.seed,
            "label": self.label,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Step:
        fields = dict(data)
        fields["inputs"] = {
            p: tuple(InputRef(**r) for r in refs) for p, refs in data["inputs"].items()
        }
        fields["outputs"] = tuple(data["outputs"])
        return cls(**fields)


@dataclass(frozen=True)
class ExecutionPlan:
    steps: tuple[Step, ...]  # topological order, ties broken by node id
    graph_hash: str
    seed: int = 0
    children: dict[str, tuple[str, ...]] = field(default_factory=dict)  # step -> dependants
    force: tuple[str, ...] = ()  # steps to execute even on a cache hit ("run from here")

    def step(self, step_id: str) -> Step:
        for s in self.steps:
            if s.step_id == step_id:
                return s
        raise KeyError(f"no step {step_id!r} in this plan")

    @property
    def step_ids(self) -> list[str]:
        return [s.step_id for s in self.steps]

    def to_dict(self) -> dict[str, Any]:
        return {
            "graph_hash": self.graph_hash,
            "seed": self.seed,
            "steps": [s.to_dict() for s in self.steps],
            "children": {k: list(v) for k, v in self.children.items()},
            "force": list(self.force),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExecutionPlan:
        return cls(
            steps=tuple(Step.from_dict(s) for s in data["steps"]),
            graph_hash=data["graph_hash"],
            seed=data.get("seed", 0),
            children={k: tuple(v) for k, v in data.get("children", {}).items()},
            force=tuple(data.get("force", ())),
        )


def _json_copy(value: Any) -> Any:
    """A copy of a JSON value (dicts, lists, scalars): the caller may change it freely."""
    if isinstance(value, dict):
        return {k: _json_copy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_copy(v) for v in value]
    return value


def _digest(payload: dict[str, Any]) -> str:
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def cache_key_for(
    *,
    component_id: str,
    component_version: int,
    params: dict[str, Any],
    inputs: dict[str, list[str]],
    seed: int,
) -> str:
    """The one cache-key formula. ``inputs`` maps port -> list of upstream identities, each
    either ``<upstream cache key>:<port>`` (compile time) or an artifact content digest (run time).
    """
    return _digest(
        {
            "component": component_id,
            "version": component_version,
            "params": params,
            "inputs": inputs,
            "seed": seed,
        }
    )


def runtime_cache_key(step: Step, input_digests: dict[str, list[str]]) -> str:
    """Cache key of a step whose compile-time key is unknown, from its inputs' content digests."""
    return cache_key_for(
        component_id=step.component_id,
        component_version=step.component_version,
        params=step.params,
        inputs={p: [f"digest:{d}" for d in ds] for p, ds in sorted(input_digests.items())},
        seed=step.seed,
    )
