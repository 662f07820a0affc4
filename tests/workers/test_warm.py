"""Libraries imported before the first node needs them (``workers.warm``)."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from workers.warm import import_in_background, import_modules, warm_imports


def test_a_background_import_is_shared_with_a_node_that_needs_it_meanwhile(
    slow_module: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="workers")
    # given: the import started in the background
    started = time.monotonic()
    thread = import_in_background([slow_module])
    time.sleep(0.05)
    # when: a node imports the same module meanwhile
    module = __import__(slow_module)
    # then: it waited for that import (the module ran once, not twice) and got all of it
    assert module.READY is True
    assert time.monotonic() - started < 2
    thread.join(5)
    assert (Path(module.__file__).parent / "executions.txt").read_text() == "ran\n"
    assert "libraries for the nodes imported in" in caplog.text


def test_a_missing_library_is_reported_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    assert import_modules(["json", "designer_no_such_library"]) == ["designer_no_such_library"]
    assert "could not pre-import designer_no_such_library" in caplog.text


def test_workers_that_will_run_gpu_components_import_torch_at_start() -> None:
    assert "torch" in warm_imports({"gpu": object()}, gpu_workers=1)
    # a cpu worker beside GPU workers never gets a GPU node; without any, they come to it
    assert "torch" not in warm_imports({"cpu": object()}, gpu_workers=1)
    assert "torch" in warm_imports({"cpu": object()}, gpu_workers=0)
    assert "torch" in warm_imports(None, gpu_workers=1)  # no -Q: every queue, gpu too
    assert "pyarrow.dataset" in warm_imports({"cpu": object()}, gpu_workers=1)
