"""Libraries imported before the first node needs them (``workers.warm``)."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from workers.warm import import_in_background, import_modules


@pytest.fixture
def slow_module(tmp_path: Path) -> Iterator[str]:
    """A module whose import takes 0.3 s and appends a line to ``executions.txt`` each time."""
    name = f"designer_warm_{time.time_ns()}"
    log = tmp_path / "executions.txt"
    (tmp_path / f"{name}.py").write_text(
        f"import time\ntime.sleep(0.3)\nopen({str(log)!r}, 'a').write('ran\\n')\nREADY = True\n")
    sys.path.insert(0, str(tmp_path))
    yield name
    sys.path.remove(str(tmp_path))
    sys.modules.pop(name, None)


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
