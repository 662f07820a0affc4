"""Fixtures shared by the worker tests."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def slow_module(tmp_path: Path) -> Iterator[str]:
    """The name of a fresh module whose import takes 0.4 s (like torch's first submodule
    imports), appends a line to ``executions.txt`` beside it each time its body runs, and ends by
    defining ``READY``."""
    name = f"designer_slow_import_{time.time_ns()}"
    log = tmp_path / "executions.txt"
    (tmp_path / f"{name}.py").write_text(
        f"import time\ntime.sleep(0.4)\nopen({str(log)!r}, 'a').write('ran\\n')\nREADY = True\n")
    sys.path.insert(0, str(tmp_path))
    yield name
    sys.path.remove(str(tmp_path))
    sys.modules.pop(name, None)
