"""The Celery application: queues ``cpu`` and ``gpu``, the project's base task class, and the beat
schedule of the reconciler. Start workers with ``celery -A workers.celery worker -Q cpu`` (prefork)
or ``-Q gpu -P solo -c 1`` (one per GPU), beat with ``celery -A workers.celery beat``.

Configuration comes from Django settings (``CELERY_*``: Redis broker from ``REDIS_URL``, late
acks, reject on worker loss, prefetch 1, no result backend). Tasks live in ``workers.tasks``.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from billiard.exceptions import WorkerLostError
from celery import Celery, Task
from celery.signals import worker_init, worker_process_init
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")

logger = logging.getLogger("workers")

RUN_NODE = "workers.run_node"
RECONCILE_RUNS = "workers.reconcile_runs"


class DesignerTask(Task):  # type: ignore[misc]
    """Base of every task: late acks, redelivery when a worker dies, no results stored, and
    status written in one place when a task itself fails (``on_failure``; Celery also calls it
    in the worker's main process when a task hits its hard time limit)."""

    acks_late = True
    reject_on_worker_lost = True
    ignore_result = True

    def on_failure(self, exc: BaseException, task_id: str, args: tuple[Any, ...],
                   kwargs: dict[str, Any], einfo: Any) -> None:
        logger.error("task %s[%s] failed: %r", self.name, task_id, exc)
        if self.name != RUN_NODE or len(args) < 2:
            return
        from designer.runs.execution.node import node_fail_unexpected

        try:  # a lost worker's message is delivered again: a node it never claimed waits
            node_fail_unexpected(run_id=int(args[0]), node_id=str(args[1]), task_id=task_id,
                                 error=f"{type(exc).__name__}: {exc}", traceback=str(einfo),
                                 queued_too=not isinstance(exc, WorkerLostError))
        except Exception:  # noqa: BLE001 - the reconciler repairs the node later
            logger.exception("could not record the failure of node %s of run %s", args[1],
                             args[0])


app = Celery("designer", task_cls=DesignerTask, include=["workers.tasks"])
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_queues=(Queue("cpu"), Queue("gpu")),
    task_default_queue="cpu",
    task_routes={RUN_NODE: {"queue": "cpu"}, RECONCILE_RUNS: {"queue": "cpu"}},
    task_create_missing_queues=False,
)


# Read on every message sent: resolving each through the Django settings chain (several failed
# lookups per key) costs about a third of sending a node's message; pinned once here instead.
SEND_PATH_KEYS = ("task_always_eager", "task_repr_maxlevels", "task_send_sent_event",
                  "broker_pool_acquire_timeout")


@app.on_after_configure.connect
def _schedule_reconciler(sender: Celery, **_: Any) -> None:
    from django.conf import settings

    sender.conf.update({key: sender.conf[key] for key in SEND_PATH_KEYS})

    every = float(settings.DESIGNER_RECONCILE_INTERVAL_S)
    sender.add_periodic_task(
        every, sender.signature(RECONCILE_RUNS, options={"queue": "cpu", "expires": every * 2}),
        name="reconcile runs",
    )


QUIET_LOGGERS = ("celery.app.trace", "celery.worker.strategy")


# Native thread pools (BLAS, OpenMP: numpy, scikit-learn, XGBoost, PyTorch) size themselves to
# every core of the machine, per process: a prefork worker of N processes on N cores would run
# N x N threads as soon as its nodes overlap, and spinning, descheduled threads then slow every
# node down (measured on 2 cores: overlapping nodes up to 50 % slower).
THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, e.g. a container's cpuset)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def threads_per_process(concurrency: int) -> int:
    """``DESIGNER_WORKER_THREADS``, else an ``OMP_NUM_THREADS`` the operator set, else the usable
    cores shared among the pool's processes."""
    from django.conf import settings

    if settings.DESIGNER_WORKER_THREADS:
        return int(settings.DESIGNER_WORKER_THREADS)
    given = os.environ.get("OMP_NUM_THREADS", "")
    if given.isdigit() and int(given) > 0:
        return int(given)
    return max(1, usable_cores() // max(1, concurrency))


_threads = 0  # set in the main process before the pool forks; children apply it
# Whether tasks must apply their time limits themselves (a solo pool ignores Celery's: see
# ``workers.limits``); set at worker start-up.
OWN_TIME_LIMITS = False


@worker_init.connect
def _warm_up(sender: Any = None, **_: Any) -> None:
    """Relax commits of this worker's database sessions, publish events without waiting, size
    native thread pools, load the component catalogue and the common libraries, all before the
    pool forks; then move everything loaded out of the garbage collector's way."""
    import gc

    global _threads, OWN_TIME_LIMITS
    from workers.limits import pool_enforces_limits
    from workers.warm import import_modules, warm_imports

    _threads = threads_per_process(int(getattr(sender, "concurrency", 0) or 1))
    OWN_TIME_LIMITS = not pool_enforces_limits(getattr(sender, "pool_cls", None) or "prefork")
    for name in THREAD_ENV:  # libraries loaded from now on (XGBoost, PyTorch) read these
        os.environ[name] = str(_threads)

    from django.conf import settings
    from django.db.backends.signals import connection_created

    from designer.catalogue.selectors import component_registry
    from designer.realtime.publish import publish_without_waiting
    from designer.runs.execution.sql import relax_session

    connection_created.connect(relax_session)  # every write of a worker is bookkeeping
    publish_without_waiting()  # events are persisted first; a node never waits for Redis
    # Celery's two INFO lines per task ("received", "succeeded in"): at hundreds of nodes a
    # second they cost CPU and bury the log, and each node's life is in its run events anyway.
    # Failures are still logged (WARNING and above).
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLogger(name).level))
    component_registry()
    consumed = app.amqp.queues.consume_from  # the queues of -Q
    import_modules(warm_imports(consumed, settings.DESIGNER_GPU_WORKERS))
    # The objects of all these imports live as long as the process: freezing them keeps every
    # full collection in the children from walking (and copying, page by page) all of them.
    gc.freeze()


@worker_process_init.connect
def _pool_process_started(**_: Any) -> None:
    """In each pool process: the libraries already loaded get the process's share of threads."""
    if _threads:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=_threads)
