"""Hooks where execution plugs into the run services (phase 2 fills them in; phase 1 leaves them
inert so the API, models and tests stand on their own).

- ``run_dispatch(run_id)`` is called once per new run, after the transaction that created the
  ``Run`` and its ``NodeRun`` rows commits. It must return quickly: resolve cache hits, mark
  nodes, and enqueue Celery tasks (ids only). Roots start ``ready`` (``remaining_parents == 0``).
- ``publish_run_events(run_id, messages)`` is called after commit with the wire form of newly
  persisted ``RunEvent`` rows, in ``seq`` order; the realtime layer forwards them to group
  ``run.<run_id>``.
Both must never raise into the request: log and let the reconciler repair.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger("designer.runs.dispatch")


def run_dispatch(run_id: int) -> None:
    """Start executing run ``run_id`` (phase 2: Celery). Phase 1: nothing executes."""
    logger.debug("run %s created; no dispatcher is installed yet", run_id)


def publish_run_events(run_id: int, messages: list[dict[str, Any]]) -> None:
    """Push committed events to websocket listeners (phase 2: Channels group_send)."""
    logger.debug("run %s: %d event(s) persisted; no publisher is installed yet", run_id,
                 len(messages))
