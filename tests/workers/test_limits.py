"""Time limits a solo pool's task applies itself (``workers.limits``)."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

import pytest
from celery.exceptions import SoftTimeLimitExceeded

from workers.limits import (
    PREFORK_SOFT_SIGNAL,
    enforced,
    imports_finish_first,
    pool_enforces_limits,
    soft_limit_over,
)


def test_only_prefork_and_green_pools_enforce_celerys_limits() -> None:
    assert pool_enforces_limits("prefork")
    assert not pool_enforces_limits("solo")
    assert not pool_enforces_limits("threads")


def test_the_soft_limit_raises_in_the_block_and_nothing_fires_after_it() -> None:
    hard = threading.Event()
    started = time.monotonic()
    # when
    with pytest.raises(SoftTimeLimitExceeded, match=r"soft time limit \(0.2 s\)"):
        with enforced(0.2, 0.6, hard.set):
            time.sleep(5)
    # then: stopped at the soft limit; the hard timer and the alarm are gone with the block
    assert time.monotonic() - started < 2
    assert not hard.wait(0.8)
    assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_the_hard_limit_calls_back_while_the_block_runs_on() -> None:
    # given: no soft limit, like a soft limit whose exception never comes (native code)
    hard = threading.Event()
    # when
    with enforced(None, 0.3, hard.set):
        assert hard.wait(5)
    # then: the callback (which fails the node and ends the process) came on its timer thread
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_block_finishing_in_time_is_untouched() -> None:
    hard = threading.Event()
    with enforced(1.0, 2.0, hard.set):
        value = sum(range(1000))
    assert value == 499500 and not hard.wait(0.1)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_outside_the_main_thread_it_does_nothing() -> None:
    seen: list[object] = []

    def body() -> None:
        with enforced(0.05, 0.1, lambda: seen.append("hard")):
            time.sleep(0.3)
        seen.append("done")

    thread = threading.Thread(target=body)
    thread.start()
    thread.join(5)
    assert seen == ["done"]



def test_the_soft_limit_waits_for_an_import_to_end(slow_module: str) -> None:
    # given: the soft limit falls in the middle of an import
    started = time.monotonic()
    # when
    with pytest.raises(SoftTimeLimitExceeded, match="soft time limit"):
        with enforced(0.1, 5.0, lambda: None):
            __import__(slow_module)
            time.sleep(5)
    # then: the module is whole (not half-initialised for every later node of this process),
    # and the limit came right after it
    assert sys.modules[slow_module].READY is True
    assert 0.4 <= time.monotonic() - started < 1.5
    assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


@pytest.mark.skipif(PREFORK_SOFT_SIGNAL is None, reason="no SIGUSR1 on this platform")
def test_preforks_soft_limit_signal_also_waits_for_an_import(slow_module: str) -> None:
    # given: this process as a prefork pool child, with billiard's handler (raises at once)
    from billiard.pool import soft_timeout_sighandler

    previous = signal.signal(PREFORK_SOFT_SIGNAL, soft_timeout_sighandler)
    try:
        imports_finish_first()
        # when: the pool's main process signals the soft limit during an import
        threading.Timer(0.1, os.kill, (os.getpid(), PREFORK_SOFT_SIGNAL)).start()
        started = time.monotonic()
        with pytest.raises(SoftTimeLimitExceeded):
            __import__(slow_module)
            time.sleep(5)
        # then
        assert sys.modules[slow_module].READY is True
        assert 0.4 <= time.monotonic() - started < 1.5
    finally:
        soft_limit_over()
        signal.signal(PREFORK_SOFT_SIGNAL, previous)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)


def test_a_waiting_soft_limit_is_void_once_the_task_ends(slow_module: str) -> None:
    # given: a prefork soft limit deferred by an import, and the task ends right after it
    previous = signal.signal(PREFORK_SOFT_SIGNAL, signal.SIG_DFL)
    try:
        imports_finish_first()
        threading.Timer(0.1, os.kill, (os.getpid(), PREFORK_SOFT_SIGNAL)).start()
        try:
            __import__(slow_module)
            # when
            soft_limit_over()
        except SoftTimeLimitExceeded:  # it came in the instant between the import and the end
            soft_limit_over()
        # then: nothing fires in the next task
        time.sleep(0.2)
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    finally:
        signal.signal(PREFORK_SOFT_SIGNAL, previous)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
