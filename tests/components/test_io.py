"""Behaviour of the file components: round trips, path normalisation and the data-folder sandbox."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import components.library
from components.sdk import Context

REGISTRY = components.library.load()


def run(component_id: str, inputs: dict[str, Any], data_dir: Path | None, **params: Any) -> Any:
    spec = REGISTRY.get(component_id)
    outputs = spec.call(inputs, spec.params_model(**params), Context(data_dir=data_dir))
    return next(iter(outputs.values()))


@pytest.fixture
def table() -> pd.DataFrame:
    return pd.DataFrame({"a": [1, 2], "b": [0.5, None], "c": ["x", "y"]}, index=[7, 3])


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_write_then_read_round_trips(tmp_path: Path, table: pd.DataFrame, fmt: str) -> None:
    written = run(f"io.write_{fmt}", {"table": table}, tmp_path, path=f"out/./sub/../t.{fmt}")
    assert written == f"out/t.{fmt}" and (tmp_path / "out" / f"t.{fmt}").is_file()
    back = run(f"io.read_{fmt}", {}, tmp_path, path=written)
    assert back.equals(table.reset_index(drop=True))  # the row index is not written


@pytest.mark.parametrize("path", ["../escape.csv", "out/../../escape.csv", "/tmp/escape.csv"])
@pytest.mark.parametrize("component_id", ["io.read_csv", "io.write_csv"])
def test_paths_outside_the_data_folder_are_refused(
    tmp_path: Path, table: pd.DataFrame, component_id: str, path: str
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (tmp_path / "escape.csv").write_text("a\n1\n")
    inputs = {"table": table} if "write" in component_id else {}
    with pytest.raises(PermissionError, match="leaves the data folder"):
        run(component_id, inputs, data, path=path)


def test_missing_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no file 'nope.parquet' in the data folder"):
        run("io.read_parquet", {}, tmp_path, path="nope.parquet")


def test_runs_without_a_data_folder_are_refused(table: pd.DataFrame) -> None:
    with pytest.raises(PermissionError, match="no data folder"):
        run("io.write_parquet", {"table": table}, None, path="t.parquet")


def test_writing_onto_a_folder_is_refused(tmp_path: Path, table: pd.DataFrame) -> None:
    (tmp_path / "out").mkdir()
    with pytest.raises(IsADirectoryError, match="give a file name"):
        run("io.write_csv", {"table": table}, tmp_path, path="out")
    with pytest.raises(ValueError, match="names the data folder itself"):
        run("io.write_csv", {"table": table}, tmp_path, path=".")


def test_read_csv_with_another_separator(tmp_path: Path) -> None:
    (tmp_path / "semi.csv").write_text("a;b\n1;x\n2;y\n")
    out = run("io.read_csv", {}, tmp_path, path="semi.csv", sep=";")
    assert out.to_dict("list") == {"a": [1, 2], "b": ["x", "y"]}
