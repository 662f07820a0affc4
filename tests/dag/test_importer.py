"""Code -> graph: hand-written variants are understood; anything else is refused with its line
number and what is allowed; user code is never executed."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from components.library import load
from designer.dag.importer import CodeImportError, code_to_graph
from designer.sdk import Pipeline
from designer.sdk.components import datasets, evaluation, preprocessing, training

REGISTRY = load()


def imported(code: str):  # type: ignore[no-untyped-def]
    return code_to_graph(textwrap.dedent(code), REGISTRY)


def error_of(code: str) -> CodeImportError:
    with pytest.raises(CodeImportError) as info:
        imported(code)
    return info.value


def reference_graph():  # type: ignore[no-untyped-def]
    with Pipeline() as p:
        iris = datasets.iris(label="Flowers")
        split = preprocessing.train_test_split(iris, test_size=0.3, random_state=0)
        model = training.logistic_regression(split.train, target="target", id="clf")
        predictions = evaluation.predict(model=model, table=split.test)
        evaluation.classification_metrics(predictions)
        preprocessing.concat_rows(tables=[split.test, split.train])
    p.layout({"iris": (0, 0), "clf": (300, 50.5)})
    return p.graph()


def test_hand_written_variants_import_to_the_same_graph() -> None:
    graph = imported(
        '''
        """My pipeline, written by hand."""
        from __future__ import annotations

        from designer.sdk import Pipeline as P
        from designer.sdk.components import datasets as ds, preprocessing
        from designer.sdk.components.training import logistic_regression
        from designer.sdk.components import evaluation

        TEST_SIZE = 0.3  # a constant


        with P() as p:
            # comments and blank lines are fine

            iris = ds.iris(label="Flowers")
            split = preprocessing.train_test_split(iris, test_size=TEST_SIZE, random_state=0)
            train = split.train
            model = logistic_regression(train, target="target", id="clf")
            p.layout({"iris": (0, 0)})
            predictions = evaluation.predict(model, split["test"])
            evaluation.classification_metrics(table=predictions)
            preprocessing.concat_rows((split.test, train))

        p.layout({model: [300, 50.5]})

        if __name__ == "__main__":
            result = p.run(seed=1)
            print(result.status)
        '''
    )
    assert graph.canonical_json() == reference_graph().canonical_json()


def test_a_pipeline_created_before_its_with_block_is_understood() -> None:
    graph = imported(
        """
        from designer.sdk import Pipeline
        from designer.sdk.components import datasets

        pipeline = Pipeline()
        with pipeline:
            datasets.iris(id="data")
        pipeline.layout({"data": (1, 2)})
        """
    )
    (node,) = graph.nodes
    assert (node.id, node.position.x, node.position.y) == ("data", 1, 2)


def test_exported_code_imports_to_the_normalized_graph() -> None:
    from designer.dag.export import graph_to_code

    graph = reference_graph()
    assert imported(graph_to_code(graph, REGISTRY)).canonical_json() == graph.canonical_json()


def test_code_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    for code in (
        f"__import__('os').system('touch {marker}')",
        f"""
        from designer.sdk import Pipeline
        from designer.sdk.components import datasets
        with Pipeline() as p:
            x = datasets.iris(label=__import__('os').system('touch {marker}'))
        """,
        f"""
        from designer.sdk import Pipeline
        with Pipeline() as p:
            __import__('os').system('touch {marker}')
        """,
    ):
        error = error_of(code)
        assert error.line is not None
    assert not marker.exists()


@pytest.mark.parametrize(
    ("code", "line", "fragment"),
    [
        ("import os\n", 1, "`import ...` statements cannot be imported; allowed are"),
        ("from os import path\n", 1, "`from os import path` cannot be imported"),
        ("x = (\n", 1, "not valid Python"),
        ('"""only a docstring"""\n', 1, "no `with Pipeline() as pipeline:` block found"),
        (
            "from designer.sdk.components import nonsense\n",
            1,
            "has no category 'nonsense'; it has: datasets, evaluation, io",
        ),
        (
            (
                "from designer.sdk import Pipeline\n"
                "from designer.sdk.components import datasets\n"
                "with Pipeline() as p:\n"
                "    a = datasets.irsi()\n"
            ),
            4,
            "datasets has no component 'irsi'; did you mean 'iris'?",
        ),
        (
            (
                "from designer.sdk import Pipeline\n"
                "from designer.sdk.components import datasets, preprocessing\n"
                "with Pipeline() as p:\n"
                "    a = datasets.iris()\n"
                "\n"
                "    s = preprocessing.train_test_split(a, test_size=2)\n"
            ),
            6,
            "node train_test_split param test_size: must be < 1.0 (got 2)",
        ),
        (
            (
                "from designer.sdk import Pipeline\n"
                "from designer.sdk.components import datasets, preprocessing\n"
                "with Pipeline() as p:\n"
                "    a = datasets.iris()\n"
                "    s = preprocessing.train_test_split(a, tset_size=0.3)\n"
            ),
            5,
            "did you mean 'test_size'?",
        ),
        (
            (
                "from designer.sdk import Pipeline\n"
                "from designer.sdk.components import datasets, preprocessing\n"
                "with Pipeline() as p:\n"
                "    a = datasets.iris()\n"
                "    s = preprocessing.train_test_split(\n"
                "        a,\n"
                "        test_size=compute(),\n"
                "    )\n"
            ),
            7,
            "test_size= must be a literal",
        ),
        (
            (
                "from designer.sdk import Pipeline\n"
                "from designer.sdk.components import preprocessing\n"
                "with Pipeline() as p:\n"
                "    s = preprocessing.train_test_split(table=missing.table)\n"
            ),
            4,
            "`missing.table` is not an output of a node defined above",
        ),
        (
            (
                "from designer.sdk import Pipeline\n"
                "from designer.sdk.components import datasets, preprocessing\n"
                "with Pipeline() as p:\n"
                "    a = datasets.iris()\n"
                "    s = preprocessing.standard_scaler(a.tabel)\n"
            ),
            5,
            "has no output 'tabel'; its outputs are: table",
        ),
        (
            (
                "from designer.sdk import Pipeline\n"
                "from designer.sdk.components import datasets\n"
                "a = datasets.iris()\n"
            ),
            3,
            "must be called inside the `with Pipeline() as pipeline:` block",
        ),
        (
            (
                "from designer.sdk import Pipeline\n"
                "from designer.sdk.components import datasets\n"
                "with Pipeline() as p:\n"
                "    for i in range(3):\n"
                "        datasets.iris()\n"
            ),
            4,
            "For statements cannot be imported",
        ),
        (
            (
                "from designer.sdk import Pipeline\n"
                "from designer.sdk.components import datasets\n"
                "with Pipeline() as p:\n"
                "    a = datasets.iris(**options)\n"
            ),
            4,
            "`**kwargs` cannot be imported",
        ),
        (
            (
                "from designer.sdk import Pipeline\n"
                "with Pipeline() as p:\n"
                "    pass\n"
                "with Pipeline() as q:\n"
                "    pass\n"
            ),
            4,
            "only one `Pipeline()` per file",
        ),
        (
            "from designer.sdk import Pipeline\nwith Pipeline() as p:\n    pass\np.run()\n",
            4,
            "`p.run(...)` is not part of a graph; only `.layout(...)` is",
        ),
        (
            "from designer.sdk import Pipeline\nwith Pipeline(registry=None) as p:\n    pass\n",
            2,
            "the block must read `with Pipeline() as pipeline:`",
        ),
        (
            (
                "from designer.sdk import Pipeline\n"
                "from designer.sdk.components import datasets\n"
                "with Pipeline() as p:\n"
                "    a = datasets.iris()\n"
                "p.layout({'b': (0, 0)})\n"
            ),
            5,
            "layout: no node 'b'; nodes are: iris",
        ),
        (
            (
                "from designer.sdk import Pipeline\n"
                "from designer.sdk.components import datasets\n"
                "with Pipeline() as p:\n"
                "    a = datasets.iris(version=7)\n"
            ),
            4,
            "has no version 7",
        ),
    ],
)
def test_unsupported_code_is_refused_with_its_line(code: str, line: int, fragment: str) -> None:
    error = error_of(code)
    assert error.line == line
    assert fragment in error.message
    assert str(error).startswith(f"line {line}: ")
