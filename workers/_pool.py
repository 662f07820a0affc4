"""Child-process side of ``LocalRunner``'s process pool: rebuild store and registry, run one step.

Only plain data crosses the process boundary (step dicts, artifact-ref dicts, paths); logs and
progress come back through a multiprocessing queue, cancellation through a multiprocessing event.
Everything here must stay importable under the ``spawn`` start method.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from components.sdk.registry import Registry
from designer.dag.plan import Step
from workers.artifacts import ArtifactRef, LocalArtifactStore
from workers.executor import make_context, run_step

RegistryLoader = Callable[[], Registry]

_state: dict[str, Any] = {}


def init_child(messages: Any, cancel_flag: Any, registry_loader: RegistryLoader) -> None:
    """Pool initializer: keep the queue and event, load the component registry once."""
    _state["messages"] = messages
    _state["cancel"] = cancel_flag
    _state["registry"] = registry_loader()


def run_in_child(
    step_data: dict[str, Any],
    input_refs: dict[str, list[dict[str, Any]]],
    store_root: str,
    data_dir: str | None,
) -> dict[str, Any]:
    """Execute one step; return ``{"outcome": StepOutcome dict, "sent": messages queued}``.

    The parent reads exactly ``sent`` messages for this step before announcing its outcome, so
    every log line is delivered before ``node.succeeded`` / ``node.failed``.
    """
    step = Step.from_dict(step_data)
    messages = _state["messages"]
    sent = 0

    def on_log(level: str, message: str) -> None:
        nonlocal sent
        messages.put(("node.log", step.step_id, {"level": level, "message": message}))
        sent += 1

    def on_progress(value: float, maximum: float | None, text: str) -> None:
        nonlocal sent
        fields = {"value": value, "max": maximum, "text": text}
        messages.put(("node.progress", step.step_id, fields))
        sent += 1

    ctx = make_context(
        step,
        data_dir=Path(data_dir) if data_dir is not None else None,
        on_log=on_log,
        on_progress=on_progress,
        is_cancelled=_state["cancel"].is_set,
    )
    outcome = run_step(
        step,
        LocalArtifactStore(Path(store_root)),
        _state["registry"],
        input_refs={p: [ArtifactRef.from_dict(r) for r in refs] for p, refs in input_refs.items()},
        ctx=ctx,
        use_cache=False,  # the parent already looked the step up in the cache
    )
    return {"outcome": outcome.to_dict(), "sent": sent}
