"""The live Designer for browser tests: the dev server of ``tests/designer/live_stack.py``,
started as ``./dev up`` starts it (migrate, ``designer_bootstrap`` with user ``admin`` and the
sample workflows, then daphne, a Celery worker and beat), on the database the suite gives."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "designer"))

from live_stack import ADMIN_PASSWORD, ADMIN_USER, ROOT, LiveStack, start_stack  # noqa: E402

__all__ = ["ADMIN_PASSWORD", "ADMIN_USER", "ARTIFACTS", "ROOT", "LiveStack", "start"]

ARTIFACTS = ROOT / "test-artifacts" / "e2e"  # screenshots (gitignored)


def start(home: Path, *, timeout: float = 120, **settings: str) -> LiveStack:
    """The dev server in ``home`` on a free port (static files are served from frontend/dist)."""
    return start_stack(home, "--skip-collectstatic", timeout=timeout, **settings)
