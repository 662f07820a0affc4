"""Execution of runs on workers: claim a node, run it with ``workers.executor``, record the
outcome and advance the run, all with conditional updates (ARCHITECTURE.md §4).

``node`` is the body of the ``workers.run_node`` task (also run on a thread pool in inline mode),
``state`` holds the database transitions, ``send`` hands ready nodes to Celery or the thread pool,
``reconcile`` repairs lost or stuck nodes off the hot path. Entry point for new runs:
``designer.runs.dispatch.run_dispatch``.
"""
