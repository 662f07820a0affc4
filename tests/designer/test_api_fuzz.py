"""Property-based fuzzing of the REST API with schemathesis: every operation of the served
OpenAPI schema gets generated requests (valid and invalid), authenticated with a token, in
process through the WSGI app against the test database; no response may be a 5xx.

Path parameters are generated freely (mostly 404s) and also pinned to real objects: a workflow,
a run whose nodes hold real artifacts (table, model, transformer, metrics, figure) from a local
run of the iris sample, and its node ids and ports, so the handlers behind the 404s are fuzzed
too. ``FUZZ_EXAMPLES`` scales the number of examples per operation and mode.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from server_graphs import iris_graph

from designer.catalogue.selectors import component_registry
from designer.dag.local import run_plan
from designer.dag.plan import ExecutionPlan
from designer.runs import services as run_services
from designer.runs.models import NodeRun, NodeStatus, Run
from designer.workflows import services as workflow_services
from designer.wsgi import application  # (re)configures logging: import before quieting it

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "16"))
MIN_REQUESTS = 1000
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)


def _executed_run(user: Any) -> Run:
    """A run of the iris sample whose node rows hold the artifacts of a real local run, as the
    workers would leave them (the test database never sees a worker: on_commit does not fire)."""
    workflow = workflow_services.workflow_create(owner=user, name="fuzz run", graph=iris_graph())
    run = run_services.run_start(workflow=workflow, user=user)
    result = run_plan(ExecutionPlan.from_dict(run.plan), component_registry(),
                      store=django_settings.DESIGNER_ARTIFACT_ROOT)
    assert result.status == "succeeded", result
    for node_id, outcome in result.steps.items():
        NodeRun.objects.filter(run=run, node_id=node_id).update(
            status=NodeStatus.SUCCEEDED,
            outputs={port: ref.to_dict() for port, ref in outcome.outputs.items()},
        )
    return run


def _pinned(op: Any, ids: dict[str, Any]) -> dict[str, Any] | None:
    names = {p.name for p in op.path_parameters}
    if not names:
        return None
    if op.method.upper() == "DELETE":
        return None  # keep the shared workflow alive for the other operations
    return {name: ids[name] for name in names if name in ids} or None


@pytest.fixture
def _keep_test_connection() -> Iterator[None]:
    """Django closes the database connection around each request (``close_old_connections``),
    which would drop the test's transaction; Django's own test client unhooks it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    quiet = logging.getLogger("django.request")  # thousands of expected 4xx warnings
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    yield
    quiet.setLevel(level)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("_keep_test_connection")
def test_no_server_errors_on_generated_requests(user: Any) -> None:
    token = Token.objects.create(user=user).key
    edited = workflow_services.workflow_create(owner=user, name="fuzz edit", graph=iris_graph())
    run = _executed_run(user)
    ids = {"id": edited.pk, "workflow_id": run.workflow_id, "run_id": run.pk,
           "node_id": "classification_metrics", "port": "metrics", "number": 1,
           "name": "iris_logistic_regression"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    headers = {"Authorization": f"Token {token}"}
    calls: list[str] = []
    failures: list[str] = []

    def exercise(strategy: Any, label: str, strategy_mode: Any) -> None:
        @hypothesis_settings(max_examples=EXAMPLES, deadline=None, database=None,
                             phases=[Phase.explicit, Phase.generate],
                             suppress_health_check=list(HealthCheck))
        @given(case=strategy)
        def one(case: schemathesis.Case) -> None:
            response = case.call(headers=headers)
            calls.append(label)
            try:
                case.validate_response(response, checks=[not_a_server_error])
            except Exception as exc:  # noqa: BLE001 - collect every failing operation
                failures.append(f"{label}: {response.status_code} {response.text[:300]!r}\n"
                                f"  {case.as_curl_command(headers)}\n  {exc}")

        try:
            one()
        except Unsatisfiable:
            # Negative mode cannot break an operation that takes no input (GET /api/me/).
            assert strategy_mode is schemathesis.GenerationMode.NEGATIVE, label

    operations = [result.ok() for result in schema.get_all_operations()]
    for op in operations:
        label = f"{op.method.upper()} {op.path}"
        pinned = _pinned(op, ids)
        for mode in MODES:
            exercise(op.as_strategy(generation_mode=mode), label, mode)
            if pinned:
                exercise(op.as_strategy(generation_mode=mode, path_parameters=pinned), label,
                         mode)

    per_op = {label: calls.count(label) for label in dict.fromkeys(calls)}
    print(f"\n{len(calls)} requests:", ", ".join(f"{k} {v}" for k, v in per_op.items()))
    assert not failures, f"{len(failures)} server error(s):\n" + "\n".join(failures[:20])
    assert len(per_op) == len(operations), f"operations never called: {per_op}"
    assert len(calls) >= MIN_REQUESTS, f"only {len(calls)} requests: {per_op}"


def test_pinning_reaches_real_objects(user: Any, api: APIClient) -> None:
    """The pinned ids point at objects the handlers really find (else the fuzz is all 404s)."""
    run = _executed_run(user)
    response = api.get(f"/api/runs/{run.pk}/nodes/classification_metrics/outputs/metrics/")
    assert response.status_code == 200, response.json()
    assert set(response.json()["metrics"]) >= {"accuracy", "f1"}
