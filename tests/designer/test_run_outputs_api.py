"""Artifact previews and downloads: tables (rows + column statistics), metrics, figures, models,
text; missing outputs and someone else's artifacts are 404s."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from rest_framework.test import APIClient
from server_graphs import small_graph

from designer.runs.models import NodeRun, NodeStatus
from workers.artifacts import LocalArtifactStore

pytestmark = pytest.mark.django_db


@pytest.fixture
def store(settings: Any, tmp_path: Path) -> LocalArtifactStore:
    settings.DESIGNER_ARTIFACT_ROOT = tmp_path / "artifacts"
    return LocalArtifactStore(settings.DESIGNER_ARTIFACT_ROOT)


@pytest.fixture
def run_id(api: APIClient, make_workflow: Any) -> int:
    wf = make_workflow("small", small_graph())
    return int(api.post(f"/api/workflows/{wf['id']}/runs/", {}, format="json").json()["id"])


def finish_node(run_id: int, node_id: str, outputs: dict[str, Any]) -> None:
    """What a worker records when a node succeeds."""
    NodeRun.objects.filter(run_id=run_id, node_id=node_id).update(
        status=NodeStatus.SUCCEEDED, outputs={p: ref.to_dict() for p, ref in outputs.items()}
    )


def table() -> pd.DataFrame:
    return pd.DataFrame({
        "x": [1.0, 2.0, 3.0, np.nan],
        "n": [1, 2, 3, 4],
        "city": ["Oslo", "Oslo", "Rome", None],
        "flag": [True, False, True, True],
    })


def test_table_preview_has_rows_and_column_stats(api: APIClient, run_id: int,
                                                 store: LocalArtifactStore) -> None:
    finish_node(run_id, "iris", {"table": store.put("table", table())})
    # when
    response = api.get(f"/api/runs/{run_id}/nodes/iris/outputs/table/?rows=2")
    # then
    assert response.status_code == 200
    preview = response.json()
    assert preview["type"] == "table"
    t = preview["table"]
    assert t["rows"] == 4
    assert [c["name"] for c in t["columns"]] == ["x", "n", "city", "flag"]
    assert t["data"] == [[1.0, 1, "Oslo", True], [2.0, 2, "Oslo", False]]
    stats = {s["name"]: s for s in t["stats"]}
    assert stats["x"]["count"] == 3 and stats["x"]["nulls"] == 1
    assert stats["x"]["mean"] == pytest.approx(2.0) and stats["x"]["std"] == pytest.approx(1.0)
    assert (stats["x"]["min"], stats["x"]["max"]) == (1.0, 3.0)
    assert stats["n"]["max"] == 4.0
    assert stats["city"]["nulls"] == 1
    assert stats["city"]["top"] == [{"value": "Oslo", "count": 2}, {"value": "Rome", "count": 1}]
    assert stats["flag"]["top"][0] == {"value": "True", "count": 3}
    assert "uri" not in preview


def test_metrics_figure_text_and_model_previews(api: APIClient, run_id: int,
                                                store: LocalArtifactStore) -> None:
    from sklearn.linear_model import LinearRegression

    from components.sdk.types import FittedModel

    figure = {"mark": "bar", "data": {"values": [{"a": 1}]}, "encoding": {}}
    model = FittedModel(LinearRegression().fit([[0.0], [1.0]], [0.0, 1.0]), ("x",), "y",
                        "regression")
    finish_node(run_id, "iris", {"metrics": store.put("metrics", {"accuracy": 0.9}),
                                 "figure": store.put("figure", figure),
                                 "text": store.put("text", "hello")})
    finish_node(run_id, "select", {"model": store.put("model", model)})
    base = f"/api/runs/{run_id}/nodes"
    assert api.get(f"{base}/iris/outputs/metrics/").json()["metrics"] == {"accuracy": 0.9}
    assert api.get(f"{base}/iris/outputs/figure/").json()["figure"] == figure
    assert api.get(f"{base}/iris/outputs/text/").json()["text"] == "hello"
    model_preview = api.get(f"{base}/select/outputs/model/").json()
    assert model_preview["summary"]["estimator"] == "LinearRegression"
    assert "table" not in model_preview


def test_download_returns_the_stored_bytes(api: APIClient, run_id: int,
                                           store: LocalArtifactStore) -> None:
    ref = store.put("table", table())
    finish_node(run_id, "iris", {"table": ref})
    # when
    response = api.get(f"/api/runs/{run_id}/nodes/iris/outputs/table/download/")
    # then
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body == store.path(ref).read_bytes()
    assert "attachment" in response["Content-Disposition"]
    assert pd.read_parquet(io.BytesIO(body)).shape == (4, 4)


def test_missing_output_and_missing_file_are_404(api: APIClient, run_id: int,
                                                 store: LocalArtifactStore, tmp_path: Path
                                                 ) -> None:
    base = f"/api/runs/{run_id}/nodes/iris/outputs"
    response = api.get(f"{base}/table/")
    assert response.status_code == 404
    assert "no stored output" in response.json()["detail"]
    # recorded, but the file is gone from the store
    other = LocalArtifactStore(tmp_path / "elsewhere")
    finish_node(run_id, "iris", {"table": other.put("table", table())})
    assert api.get(f"{base}/table/").status_code == 404
    assert api.get(f"{base}/table/download/").status_code == 404


def test_someone_elses_artifact_is_404(api: APIClient, other_api: APIClient, run_id: int,
                                       store: LocalArtifactStore) -> None:
    finish_node(run_id, "iris", {"table": store.put("table", table())})
    url = f"/api/runs/{run_id}/nodes/iris/outputs/table/"
    assert api.get(url).status_code == 200
    assert other_api.get(url).status_code == 404
    assert other_api.get(f"{url}download/").status_code == 404
