"""Run one plan step: the pure runtime shared by the in-process runner, the SDK and Celery tasks.

``execute_step`` works on in-memory objects; ``run_step`` adds the artifact store (load inputs by
reference, cache lookup, store outputs) and never raises for a component's own errors — it returns
a ``StepOutcome`` saying what happened. No Django, Celery or database here.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from components.sdk.context import Cancelled, Context, LogSink, ProgressSink
from components.sdk.registry import Registry
from components.sdk.spec import ComponentSpec
from designer.dag.plan import Step, runtime_cache_key
from workers.artifacts import ArtifactRef, ArtifactStore
from workers.formats import ArtifactTypeError, check_type

StepStatus = Literal["succeeded", "cached", "failed", "cancelled", "skipped"]
OK_STATUSES = frozenset({"succeeded", "cached"})


class StepError(Exception):
    """A problem with how a step is set up or what its component returned (a user error: no retry).

    The message names the node and component and says what to change.
    """


@dataclass(frozen=True)
class StepOutcome:
    """What happened to one step. Crosses process boundaries as ``to_dict()``."""

    status: StepStatus
    outputs: dict[str, ArtifactRef] = field(default_factory=dict)
    cache_key: str | None = None
    error: str | None = None
    traceback: str | None = None
    duration_s: float = 0.0
    logs: tuple[tuple[str, str], ...] = ()  # (level, message)

    @property
    def ok(self) -> bool:
        """True when the outputs are available (succeeded or cached)."""
        return self.status in OK_STATUSES

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "outputs": {p: r.to_dict() for p, r in self.outputs.items()},
            "cache_key": self.cache_key,
            "error": self.error,
            "traceback": self.traceback,
            "duration_s": self.duration_s,
            "logs": [list(line) for line in self.logs],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StepOutcome:
        return cls(
            status=data["status"],
            outputs={p: ArtifactRef.from_dict(r) for p, r in data.get("outputs", {}).items()},
            cache_key=data.get("cache_key"),
            error=data.get("error"),
            traceback=data.get("traceback"),
            duration_s=float(data.get("duration_s", 0.0)),
            logs=tuple((str(lv), str(msg)) for lv, msg in data.get("logs", ())),
        )


def _where(step: Step) -> str:
    return f"node {step.step_id!r} ({step.component_id} v{step.component_version})"


def make_context(
    step: Step,
    *,
    data_dir: Path | None = None,
    on_log: LogSink | None = None,
    on_progress: ProgressSink | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> Context:
    """The ``Context`` for one execution of ``step`` (node id, seed and device from the step)."""
    device = "cpu"
    if step.queue == "gpu":
        import torch

        device = "cuda" if torch.cuda.is_available() else "cpu"
    ctx = Context(node_id=step.step_id, seed=step.seed, device=device, data_dir=data_dir)
    if on_log is not None:
        ctx.on_log = on_log
    if on_progress is not None:
        ctx.on_progress = on_progress
    if is_cancelled is not None:
        ctx.is_cancelled = is_cancelled
    return ctx


def build_params(spec: ComponentSpec, step: Step) -> BaseModel:
    """The component's params model from the step's resolved JSON params."""
    try:
        return spec.params_model.model_validate(step.params)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(params)'}: {err['msg']}"
            for err in exc.errors()
        )
        raise StepError(f"{_where(step)} has invalid params — {problems}") from exc


def _prepare_inputs(spec: ComponentSpec, step: Step, inputs: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(inputs) - {p.name for p in spec.inputs})
    if unknown:
        known = [p.name for p in spec.inputs]
        raise StepError(f"{_where(step)} has no input port(s) {unknown}; its inputs are {known}")
    prepared: dict[str, Any] = {}
    for port in spec.inputs:
        value = inputs.get(port.name)
        where = f"input {port.name!r} of {_where(step)}"
        if port.many:
            value = [] if value is None else value
            if not isinstance(value, list):
                raise StepError(f"{where} takes a list of {port.type} values")
            if port.type != "any":
                for item in value:
                    check_type(port.type, item, where=where)
        elif value is None:
            if not port.optional:
                raise StepError(f"{where} is required; connect an edge into it")
        elif port.type != "any":
            check_type(port.type, value, where=where)
        prepared[port.name] = value
    return prepared


def check_outputs(spec: ComponentSpec, step: Step, outputs: dict[str, Any]) -> dict[str, Any]:
    """Every declared output present and of its declared type; nothing undeclared."""
    declared = [p.name for p in spec.outputs]
    missing = [p for p in declared if p not in outputs]
    extra = sorted(set(outputs) - set(declared))
    if missing or extra:
        raise StepError(
            f"{_where(step)} returned outputs {sorted(outputs)} but declares {declared}; "
            "return exactly the declared ports"
        )
    for port in spec.outputs:
        check_type(port.type, outputs[port.name], where=f"output {port.name!r} of {_where(step)}")
    return {p: outputs[p] for p in declared}


def execute_step(
    step: Step, inputs: dict[str, Any], ctx: Context, registry: Registry
) -> dict[str, Any]:
    """Run ``step``'s component on in-memory ``inputs`` (port -> object, list for many ports).

    Raises ``StepError`` for set-up or output problems, ``Cancelled`` when cancelled, and whatever
    the component raises.
    """
    spec = registry.get(step.component_id, step.component_version)
    params = build_params(spec, step)
    prepared = _prepare_inputs(spec, step, inputs)
    ctx.check_cancelled()  # a step cancelled while queued never starts
    return check_outputs(spec, step, spec.call(prepared, params, ctx))


def effective_cache_key(step: Step, input_refs: dict[str, list[ArtifactRef]]) -> str | None:
    """The compile-time key, else one derived from the inputs' digests; None if not cacheable."""
    if not step.cacheable:
        return None
    if step.cache_key is not None:
        return step.cache_key
    return runtime_cache_key(step, {p: [r.digest for r in refs] for p, refs in input_refs.items()})


def cached_outputs(
    store: ArtifactStore, step: Step, cache_key: str | None
) -> dict[str, ArtifactRef] | None:
    """The step's outputs from the cache index, or None on a miss or an incomplete entry."""
    if cache_key is None:
        return None
    hit = store.lookup(cache_key)
    if hit is None or any(port not in hit for port in step.outputs):
        return None
    return {port: hit[port] for port in step.outputs}


def load_inputs(
    spec: ComponentSpec, store: ArtifactStore, input_refs: dict[str, list[ArtifactRef]]
) -> dict[str, Any]:
    """Input objects from the store: one object per single port, a list for ``many`` ports."""
    loaded: dict[str, Any] = {}
    for port in spec.inputs:
        refs = input_refs.get(port.name, [])
        if port.many:
            loaded[port.name] = [store.get(r) for r in refs]
        elif refs:
            loaded[port.name] = store.get(refs[0])
    return loaded


def run_step(
    step: Step,
    store: ArtifactStore,
    registry: Registry,
    *,
    input_refs: dict[str, list[ArtifactRef]],
    ctx: Context,
    use_cache: bool = True,
    force: bool = False,
) -> StepOutcome:
    """Load inputs, execute, store outputs, record the cache entry. Never raises for step errors.

    Returns ``cached`` without executing when the cache has the outputs (unless ``force`` or not
    ``use_cache``). Outputs of a cacheable step are always recorded, so the next run can reuse them.
    """
    start = time.perf_counter()
    key = effective_cache_key(step, input_refs)
    if use_cache and not force:
        hit = cached_outputs(store, step, key)
        if hit is not None:
            return StepOutcome("cached", hit, key, duration_s=time.perf_counter() - start)
    try:
        spec = registry.get(step.component_id, step.component_version)
        ctx.check_cancelled()
        outputs = execute_step(step, load_inputs(spec, store, input_refs), ctx, registry)
        refs = {port.name: store.put(port.type, outputs[port.name]) for port in spec.outputs}
        if key is not None:
            store.record(key, refs)
    except Cancelled as exc:
        return StepOutcome(
            "cancelled", {}, key, error=str(exc), duration_s=time.perf_counter() - start,
            logs=tuple(ctx.logs),
        )
    except Exception as exc:  # noqa: BLE001 - a component may raise anything; report, never crash
        plain = isinstance(exc, (StepError, ArtifactTypeError))
        message = str(exc) if plain else f"{type(exc).__name__}: {exc}"
        return StepOutcome(
            "failed", {}, key, error=message, traceback=traceback.format_exc(),
            duration_s=time.perf_counter() - start, logs=tuple(ctx.logs),
        )
    return StepOutcome(
        "succeeded", refs, key, duration_s=time.perf_counter() - start, logs=tuple(ctx.logs)
    )
