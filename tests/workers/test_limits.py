"""Time limits a solo pool's task applies itself (``workers.limits``)."""

from __future__ import annotations

import signal
import threading
import time

import pytest
from celery.exceptions import SoftTimeLimitExceeded

from workers.limits import enforced, pool_enforces_limits


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

