"""Layering rules: the pure core never imports Django, DRF, Channels or Celery.

Checked twice: statically with import-linter (contracts in pyproject.toml), and dynamically by
importing the pure packages in a fresh interpreter and looking at ``sys.modules``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("django", "rest_framework", "channels", "celery")
PURE_MODULES = [
    "components.library",
    "designer.dag.model",
    "designer.dag.plan",
    "designer.dag.validate",
    "designer.dag.compile",
    "designer.dag.export",
    "designer.dag.importer",
    "designer.sdk",
    "workers.executor",
    "workers.artifacts",
    "workers.runner",
]


def test_import_linter_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--config", "pyproject.toml"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pure_core_loads_no_server_framework() -> None:
    code = (
        "import importlib, sys\n"
        f"for m in {PURE_MODULES!r}:\n"
        "    importlib.import_module(m)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"pure core pulled in: {result.stdout}"


def test_package_inits_stay_empty() -> None:
    for init in ("designer/__init__.py", "workers/__init__.py"):
        assert (ROOT / init).read_text().strip() == "", f"{init} must stay empty"
