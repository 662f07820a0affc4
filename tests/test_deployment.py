"""The production files: docker-compose.yml describes postgres, redis, web, CPU and GPU workers and
beat wired to each other, and the Dockerfile builds what it needs. Docker does not run here, so
these read the files and check the wiring a typo would break (``test_compose_rehearsal.py``
then starts the services as written)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from compose_file import interpolate, load_compose

from designer.envconf import database_from_url

ROOT = Path(__file__).resolve().parents[1]
APP_SERVICES = ("web", "worker-cpu", "worker-gpu", "beat")


# what an operator must set (``${VAR:?...}``); everything else takes the file's defaults
OPERATOR = {"SECRET_KEY": "set-by-the-operator"}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load_compose()


def _interpolate(value: str) -> str:
    return interpolate(value, OPERATOR)


def _command(service: dict[str, Any]) -> str:
    command = service["command"]
    return command if isinstance(command, str) else shlex.join(command)


def test_the_topology_has_every_service(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == {"postgres", "redis", *APP_SERVICES}
    assert set(compose["volumes"]) >= {"artifacts", "postgres-data"}


def test_processes_start_as_the_workers_expect(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert _command(services["worker-cpu"]) == (
        "celery -A workers.celery worker -Q cpu -P prefork -c 2 -n cpu@%h")
    assert _command(services["worker-gpu"]) == (
        "celery -A workers.celery worker -Q gpu -P solo -c 1 -n gpu@%h")
    assert _command(services["beat"]) == "celery -A workers.celery beat"
    web = _command(services["web"])
    steps = ["migrate --noinput", "collectstatic --noinput", "designer_bootstrap",
             "daphne -b 0.0.0.0 -p 8000"]
    positions = [web.index(step) for step in steps]
    assert positions == sorted(positions), web
    assert "designer.asgi:application" in web


def test_the_gpu_worker_reserves_a_gpu_and_installs_cuda_xgboost(compose: dict[str, Any]) -> None:
    gpu = compose["services"]["worker-gpu"]
    (device,) = gpu["deploy"]["resources"]["reservations"]["devices"]
    assert device["driver"] == "nvidia" and "gpu" in device["capabilities"]
    assert gpu["build"]["args"]["XGBOOST_PACKAGE"] == "xgboost"
    assert gpu["image"] != compose["services"]["worker-cpu"]["image"]
    assert "deploy" not in compose["services"]["worker-cpu"]


def test_every_designer_process_shares_database_broker_and_artifacts(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    postgres_env = services["postgres"]["environment"]
    for name in APP_SERVICES:
        service = services[name]
        env = {k: _interpolate(str(v)) for k, v in service["environment"].items()}
        assert {"DATABASE_URL", "REDIS_URL", "DESIGNER_HOME", "SECRET_KEY"} <= set(env), name
        database = database_from_url(env["DATABASE_URL"], base_dir=ROOT)
        assert database["ENGINE"] == "django.db.backends.postgresql"
        assert (database["HOST"], database["NAME"], database["USER"]) == (
            "postgres", postgres_env["POSTGRES_DB"], postgres_env["POSTGRES_USER"])
        assert database["PASSWORD"] == _interpolate(postgres_env["POSTGRES_PASSWORD"])
        assert env["REDIS_URL"].startswith("redis://redis:6379/")
        assert f"artifacts:{env['DESIGNER_HOME']}" in service["volumes"], name
        assert "${SECRET_KEY:?" in service["environment"]["SECRET_KEY"]  # no default key


def test_healthchecks_gate_the_start_order(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name in ("postgres", "redis", "web", "worker-cpu", "worker-gpu"):
        assert services[name]["healthcheck"]["test"], name
    assert services["web"]["depends_on"] == {
        "postgres": {"condition": "service_healthy"}, "redis": {"condition": "service_healthy"}}
    for name in ("worker-cpu", "worker-gpu", "beat"):  # they start after migrations ran
        assert services[name]["depends_on"]["web"]["condition"] == "service_healthy"
    for name in ("worker-cpu", "worker-gpu"):
        queue = name.removeprefix("worker-")
        assert f"-d {queue}@$$HOSTNAME" in services[name]["healthcheck"]["test"][1]


def test_the_dockerfile_builds_frontend_and_python_image() -> None:
    text = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+) AS (\w+)", text, flags=re.MULTILINE)
    assert [image.split(":")[0] for image, _ in stages] == ["node", "python"]
    assert stages[1][0] == "python:3.11-slim"
    assert "npm ci" in text and "npm run build" in text
    assert f"COPY --from={stages[0][1]} /build/frontend/dist ./frontend/dist" in text
    assert "pip install" in text and "-r requirements.txt" in text
    # The GPU build swaps xgboost-cpu for xgboost with sed: the pin it rewrites must exist.
    sed = re.search(r'sed -i "s/\^(\S+?)==/', text)
    assert sed is not None
    requirements = (ROOT / "requirements.txt").read_text().splitlines()
    assert any(line.startswith(f"{sed.group(1)}==") for line in requirements)
    assert not any(line.startswith("xgboost==") for line in requirements)


def test_dockerignore_keeps_local_state_out_of_the_image() -> None:
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", "var", "frontend/node_modules"} <= ignored
