"""The ``designer`` command line: validate, run, export, import, components, samples."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from components.library import load
from designer.dag.cli import main
from designer.dag.validate import normalize_graph
from designer.samples import load_sample

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = load()

SMALL = {
    "nodes": [
        {"id": "n1", "component": "datasets.iris", "version": 1},
        {"id": "n2", "component": "preprocessing.train_test_split", "version": 1,
         "params": {"test_size": 0.2, "random_state": 0}},
        {"id": "n3", "component": "training.logistic_regression", "version": 1,
         "params": {"target": "target", "max_iter": 500}},
        {"id": "n4", "component": "evaluation.predict", "version": 1},
        {"id": "n5", "component": "evaluation.classification_metrics", "version": 1},
    ],
    "edges": [
        {"source": "n1", "source_port": "table", "target": "n2", "target_port": "table"},
        {"source": "n2", "source_port": "train", "target": "n3", "target_port": "table"},
        {"source": "n3", "source_port": "model", "target": "n4", "target_port": "model"},
        {"source": "n2", "source_port": "test", "target": "n4", "target_port": "table"},
        {"source": "n4", "source_port": "table", "target": "n5", "target_port": "table"},
    ],
}  # fmt: skip


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data))
    return path


def test_validate_ok_and_invalid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(write_json(tmp_path / "g.json", SMALL))]) == 0
    assert "ok (5 nodes, 5 edges)" in capsys.readouterr().out

    bad = json.loads(json.dumps(SMALL))
    bad["nodes"][1]["params"]["test_size"] = 2
    assert main(["validate", str(write_json(tmp_path / "bad.json", bad))]) == 2
    assert "node n2 param test_size: must be < 1.0 (got 2)" in capsys.readouterr().err


def test_validate_reports_malformed_documents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert main(["validate", str(broken)]) == 2
    assert "not a valid graph document" in capsys.readouterr().err
    assert main(["validate", str(tmp_path / "absent.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_run_prints_statuses_and_metrics_then_uses_the_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    graph = str(write_json(tmp_path / "g.json", SMALL))
    store = str(tmp_path / "store")
    assert main(["run", graph, "--store", store]) == 0
    out = capsys.readouterr().out
    assert "succeeded  n3 (training.logistic_regression)" in out
    assert "metrics    n5.metrics" in out and "accuracy" in out
    assert main(["run", graph, "--store", store, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["status"] == "succeeded"
    assert {n["status"] for n in report["nodes"].values()} == {"cached"}
    assert 0.8 < report["metrics"]["n5"]["accuracy"] <= 1.0


def test_run_exit_codes_for_invalid_graphs_and_failed_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = json.loads(json.dumps(SMALL))
    bad["nodes"][1]["params"]["test_size"] = 2
    assert main(["run", str(write_json(tmp_path / "bad.json", bad))]) == 2
    assert "node n2 param test_size" in capsys.readouterr().err

    failing = {"nodes": [{"id": "read", "component": "io.read_csv", "version": 1,
                          "params": {"path": "absent.csv"}}]}  # fmt: skip
    args = ["--store", str(tmp_path / "s"), "--data-dir", str(tmp_path)]
    assert main(["run", str(write_json(tmp_path / "f.json", failing)), *args]) == 1
    assert "failed     read (io.read_csv)" in capsys.readouterr().out


def test_run_to_node_runs_only_its_ancestors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    graph = str(write_json(tmp_path / "g.json", SMALL))
    assert main(["run", graph, "--to", "n2", "--store", str(tmp_path / "s"), "--json"]) == 0
    assert sorted(json.loads(capsys.readouterr().out)["nodes"]) == ["n1", "n2"]


def test_export_then_import_round_trips_a_sample_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script, back = tmp_path / "wine.py", tmp_path / "wine.json"
    sample = ROOT / "designer" / "samples" / "wine_kmeans.json"
    assert main(["export", str(sample), "-o", str(script)]) == 0
    code = script.read_text()
    assert code.startswith('"""Wine: k-means clustering.')  # the sample's title
    compile(code, str(script), "exec")
    assert main(["import", str(script), "-o", str(back)]) == 0
    _, _, graph = load_sample("wine_kmeans")
    imported = json.loads(back.read_text())
    expected = normalize_graph(graph, REGISTRY).canonical_json()
    from designer.dag.model import GraphSpec

    assert GraphSpec.from_json(imported).canonical_json() == expected
    assert main(["export", "sample:wine_kmeans"]) == 0
    assert capsys.readouterr().out == code


def test_import_errors_name_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "bad.py"
    script.write_text("from designer.sdk import Pipeline\n\nimport os\n")
    assert main(["import", str(script)]) == 2
    assert f"{script}:3: `import ...` statements cannot be imported" in capsys.readouterr().err


def test_components_and_samples_listings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["components"]) == 0
    out = capsys.readouterr().out
    assert "datasets.iris" in out and "(table) -> train, test" in out
    assert main(["components", "--json"]) == 0
    ids = {c["id"] for c in json.loads(capsys.readouterr().out)["components"]}
    assert "preprocessing.train_test_split" in ids
    assert main(["samples"]) == 0
    assert "iris_logistic_regression" in capsys.readouterr().out
    assert main(["run", "sample:nope"]) == 2
    assert "no sample 'nope'" in capsys.readouterr().err


def test_python_dash_m_designer_dag_is_the_same_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "designer.dag", "validate", "sample:iris_logistic_regression"],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "ok (8 nodes, 9 edges)" in result.stdout
