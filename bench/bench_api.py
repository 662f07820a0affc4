"""Benchmark: REST reads of a large workflow's runs (what the canvas asks for when it opens one).

Run: ``.venv/bin/python bench/bench_api.py [--nodes 1000] [--runs 20] [--repeats 7]``. Uses a
fresh PostgreSQL database ``designer_bench_api`` (SQLite when PostgreSQL does not answer), one
workflow of ``--nodes`` real catalogue components (``bench_compile.make_graph``) and ``--runs``
runs of it (rows only: nothing executes; the first has its node rows), and Django's test client
with a token, so what is timed is the server's own work per request (no HTTP server, no
network). Prints the median milliseconds of: the run history page, one run's detail (every
node), its events page, the workflow's detail (its graph), validation, saving the graph with a
node moved (a new version), export to Python and import of that code.

Findings (2 cores, 2026-11-28): the history of 20 runs of a 1,000-node workflow took 830 ms:
every run read selected the run's plan and its version's graph (~0.5 KB a node each) and
parsed them for nothing; deferring both: 8-17 ms. A run's detail with 1,000 nodes is ~50-60 ms,
mostly serialising the node rows. Export named nodes in quadratic time (each variable checked
against a set rebuilt from all earlier ones, each id suffix searched from _2 in a list): 109 ->
66 ms here, 264 -> 72 ms for 2,000 nodes in the exporter alone.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from bench_dispatch import PG_ADMIN, database_url  # noqa: E402

BENCH_DB = "designer_bench_api"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="designer-bench-api-"))
    os.environ.update({"DATABASE_URL": database_url(home, BENCH_DB), "DESIGNER_HOME": str(home),
                       "DESIGNER_EXECUTION": "inline", "LOG_LEVEL": "WARNING",
                       "DJANGO_SETTINGS_MODULE": "designer.settings"})
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from rest_framework.test import APIClient

    from bench_compile import make_graph
    from designer.accounts.services import token_issue
    from designer.catalogue.selectors import component_registry
    from designer.runs import services
    from designer.runs.models import NodeRun, Run
    from designer.workflows.services import workflow_create

    call_command("migrate", verbosity=0)
    try:
        user = get_user_model().objects.create_user("bench", password="bench-password-1")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION="Token " + token_issue(
            username="bench", password="bench-password-1"))
        wf = workflow_create(owner=user, name="big",
                             graph=make_graph(component_registry(), args.nodes))
        version = wf.current_version
        plan = services._compile(version, seed=0, from_node=None, to_node=None)
        runs = [Run.objects.create(workflow=wf, version=version, owner=user, status="succeeded",
                                   plan=plan.to_dict(), options={}) for _ in range(args.runs)]
        NodeRun.objects.bulk_create(services._node_runs(runs[0], plan, use_cache=True))
        requests = {
            f"run history ({args.runs} runs)": ("get", f"/api/workflows/{wf.pk}/runs/"),
            f"run detail ({args.nodes} nodes)": ("get", f"/api/runs/{runs[0].pk}/"),
            "run events page": ("get", f"/api/runs/{runs[0].pk}/events/"),
            "workflow detail (its graph)": ("get", f"/api/workflows/{wf.pk}/"),
            "validate": ("post", f"/api/workflows/{wf.pk}/validate/"),
        }
        code = client.get(f"/api/workflows/{wf.pk}/export/?format=python").content.decode()
        moved = wf.current_version.graph
        moved["nodes"][0]["position"] = {"x": 1, "y": 1}
        writes = {  # each makes a new version or workflow: fine to repeat
            "save a moved node (new version)": (
                "patch", f"/api/workflows/{wf.pk}/", {"graph": moved}, 200),
            "export to Python": ("get", f"/api/workflows/{wf.pk}/export/?format=python", None,
                                 200),
            "import from Python (new workflow)": (
                "post", "/api/workflows/import/", {"name": "again", "source": code}, 201),
        }
        print(f"{connection.vendor}; a workflow of {args.nodes} nodes, {args.runs} runs; "
              f"median of {args.repeats} requests")
        calls = {label: (method, path, None, 200) for label, (method, path) in requests.items()}
        for label, (method, path, body, expected) in {**calls, **writes}.items():
            def call(method: str = method, path: str = path, body: object = body) -> int:
                if body is None:
                    return int(getattr(client, method)(path).status_code)
                return int(getattr(client, method)(path, body, format="json").status_code)

            assert call() == expected, (label, call())  # warm-up
            times = []
            for _ in range(args.repeats):
                start = time.perf_counter()
                call()
                times.append((time.perf_counter() - start) * 1000)
            print(f"  {label:34s} {statistics.median(times):7.1f} ms")
    finally:
        vendor = connection.vendor
        connection.close()
        if vendor == "postgresql":
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


if __name__ == "__main__":
    main()
