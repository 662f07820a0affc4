"""The Python SDK: discoverable component functions, node handles, auto ids, immediate checks."""

from __future__ import annotations

import inspect
import pydoc
from pathlib import Path

import pytest

from components.library import load
from designer.sdk import NodeHandle, Pipeline
from designer.sdk.components import datasets, evaluation, io, preprocessing, training

REGISTRY = load()


# discoverability ----------------------------------------------------------------------------
def test_every_latest_component_has_a_function_in_its_category_namespace() -> None:
    import designer.sdk.components as namespaces

    for spec in REGISTRY.latest():
        module = getattr(namespaces, spec.namespace)
        assert spec.name in dir(module)
        assert getattr(module, spec.name).component_id == spec.id
    assert {"datasets", "io", "preprocessing", "training", "evaluation"} <= set(namespaces.__all__)


def test_signature_lists_inputs_then_params_with_defaults_then_reserved_kwargs() -> None:
    sig = inspect.signature(preprocessing.train_test_split)
    names = list(sig.parameters)
    assert names[0] == "table"
    assert sig.parameters["table"].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert sig.parameters["table"].default is inspect.Parameter.empty
    assert names[-3:] == ["id", "label", "version"]
    test_size = sig.parameters["test_size"]
    assert test_size.kind is inspect.Parameter.KEYWORD_ONLY
    assert test_size.default == 0.25 and test_size.annotation is float
    assert "table: Table" in str(sig) and "test_size: float = 0.25" in str(sig)
    # a required param has no default
    assert inspect.signature(training.logistic_regression).parameters["target"].default is (
        inspect.Parameter.empty
    )


def test_many_and_two_input_signatures() -> None:
    assert "tables: list[Table]" in str(inspect.signature(preprocessing.concat_rows))
    params = list(inspect.signature(evaluation.predict).parameters)
    assert params[:2] == ["model", "table"]


def test_docstring_and_help_show_the_component_doc_and_params() -> None:
    spec = REGISTRY.get("preprocessing.train_test_split")
    fn = preprocessing.train_test_split
    assert fn.__doc__.startswith(spec.doc)
    text = pydoc.render_doc(fn, renderer=pydoc.plaintext)
    assert "test_size: float = 0.25" in text
    assert "train (table)" in text and "Parameters:" in text
    assert fn.__module__ == "designer.sdk.components.preprocessing"


def test_category_modules_are_importable_and_list_their_components() -> None:
    from designer.sdk.components.datasets import iris

    assert iris is datasets.iris
    assert "iris" in datasets.__all__ and "read_csv" in dir(io)
    with pytest.raises(AttributeError, match="has no component 'irsi'.*iris"):
        datasets.irsi  # noqa: B018


# building -----------------------------------------------------------------------------------
def test_calls_add_nodes_with_automatic_ids_and_edges() -> None:
    with Pipeline() as p:
        a = datasets.iris()
        b = datasets.iris()
        c = datasets.iris(id="custom")
        d = datasets.iris()
        split = preprocessing.train_test_split(a, test_size=0.3)
    assert [a.id, b.id, c.id, d.id] == ["iris", "iris_2", "custom", "iris_3"]
    graph = p.graph()
    assert [n.id for n in graph.nodes] == ["iris", "iris_2", "custom", "iris_3", "train_test_split"]
    assert graph.node(split.id).params == {"test_size": 0.3}
    (edge,) = graph.edges
    assert (edge.source, edge.source_port, edge.target, edge.target_port) == (
        "iris", "table", "train_test_split", "table",
    )  # fmt: skip


def test_auto_id_skips_ids_taken_explicitly() -> None:
    with Pipeline():
        first = datasets.wine(id="wine_2")
        second = datasets.wine()
        third = datasets.wine()
    assert [first.id, second.id, third.id] == ["wine_2", "wine", "wine_3"]


def test_params_equal_to_defaults_are_left_out_and_labels_kept() -> None:
    with Pipeline() as p:
        split = preprocessing.train_test_split(datasets.iris(), test_size=0.25, label="Split")
    node = p.graph().node(split.id)
    assert node is not None and node.params == {} and node.label == "Split"


def test_handle_outputs_are_attributes_and_typos_list_the_ports() -> None:
    with Pipeline():
        split = preprocessing.train_test_split(datasets.iris())
        assert split.train.port == "train" and split["test"].type == "table"
        assert {"train", "test"} <= set(dir(split))
        with pytest.raises(AttributeError, match="no output 'trian'; its outputs are: train, test"):
            split.trian  # noqa: B018


def test_multi_output_handle_cannot_be_an_input() -> None:
    with Pipeline():
        split = preprocessing.train_test_split(datasets.iris())
        with pytest.raises(TypeError, match=r"pass one of them: train_test_split\.train"):
            preprocessing.standard_scaler(split)


def test_unknown_param_is_a_type_error_naming_node_and_suggestion() -> None:
    with Pipeline(), pytest.raises(TypeError) as info:
        preprocessing.train_test_split(datasets.iris(), tset_size=0.3)
    message = str(info.value)
    assert "node train_test_split" in message and "'tset_size'" in message
    assert "did you mean 'test_size'?" in message


def test_invalid_param_value_is_a_value_error_naming_node_and_param() -> None:
    with Pipeline(), pytest.raises(ValueError) as info:
        preprocessing.train_test_split(datasets.iris(), test_size=2, id="n2")
    assert str(info.value) == "node n2 param test_size: must be < 1.0 (got 2)"


def test_wrong_param_type_is_a_type_error() -> None:
    with Pipeline(), pytest.raises(TypeError, match="node train_test_split param shuffle: must be"):
        preprocessing.train_test_split(datasets.iris(), shuffle="yes")


def test_missing_required_input_or_param_is_a_type_error() -> None:
    with Pipeline():
        with pytest.raises(TypeError, match="missing a required argument: 'table'"):
            preprocessing.train_test_split()
        with pytest.raises(TypeError, match="missing a required argument: 'target'"):
            training.logistic_regression(datasets.iris())


def test_incompatible_port_types_are_refused() -> None:
    with Pipeline():
        model = training.logistic_regression(datasets.iris(), target="target")
        with pytest.raises(
            TypeError, match=r"input 'table' takes a table, but .*\.model is a model"
        ):
            preprocessing.standard_scaler(model)


def test_inputs_must_be_outputs_of_the_same_pipeline() -> None:
    with Pipeline():
        iris = datasets.iris()
    with Pipeline():
        with pytest.raises(ValueError, match="belongs to another Pipeline"):
            preprocessing.standard_scaler(iris)
        with pytest.raises(TypeError, match="expected the output of another node"):
            preprocessing.standard_scaler("iris")


def test_many_port_takes_a_list_and_keeps_its_order() -> None:
    with Pipeline() as p:
        a, b = datasets.iris(), datasets.iris()
        preprocessing.concat_rows([b, a.table])
    edges = [(e.source, e.target_port) for e in p.graph().edges]
    assert edges == [("iris_2", "tables"), ("iris", "tables")]


def test_calling_a_component_outside_a_pipeline_says_how_to_fix_it() -> None:
    with pytest.raises(RuntimeError, match=r"inside `with Pipeline\(\) as pipeline:`"):
        datasets.iris()


def test_ids_must_be_valid_and_unique() -> None:
    with Pipeline():
        datasets.iris(id="data")
        with pytest.raises(ValueError, match="already used"):
            datasets.wine(id="data")
        with pytest.raises(ValueError, match="not a valid node id"):
            datasets.wine(id="has space")


def test_version_kwarg_selects_a_registered_version_only() -> None:
    with Pipeline() as p:
        iris = datasets.iris(version=1)
        with pytest.raises(ValueError, match="no version 99"):
            datasets.wine(version=99)
    assert isinstance(iris, NodeHandle) and p.graph().node("iris").version == 1


def test_layout_sets_positions_and_rejects_unknown_nodes() -> None:
    with Pipeline() as p:
        iris = datasets.iris()
        split = preprocessing.train_test_split(iris)
    p.layout({"iris": (0, 10), split: (240.5, 0)})
    graph = p.graph()
    assert graph.node("iris").position.y == 10 and graph.node(split.id).position.x == 240.5
    with pytest.raises(ValueError, match="no node 'nope'; nodes are: iris, train_test_split"):
        p.layout({"nope": (0, 0)})
    with pytest.raises(TypeError, match="must be"):
        p.layout({"iris": (0,)})


def test_params_accept_tuples_and_store_json_lists() -> None:
    with Pipeline() as p:
        preprocessing.select_columns(datasets.iris(), columns=("target",))
    assert p.graph().node("select_columns").params == {"columns": ["target"]}


def test_submit_without_a_token_says_how_to_get_one(monkeypatch: pytest.MonkeyPatch) -> None:
    from designer.sdk.remote import RemoteError

    monkeypatch.delenv("DESIGNER_TOKEN", raising=False)
    with pytest.raises(RemoteError, match=r"DESIGNER_TOKEN.*api/auth/token/"):
        Pipeline().submit("http://127.0.0.1:9")


def test_submit_to_an_unreachable_server_says_so() -> None:
    from designer.sdk.remote import RemoteError

    with Pipeline() as p:
        datasets.iris()
    with pytest.raises(RemoteError, match="Cannot reach the Designer server") as unreachable:
        p.submit("http://127.0.0.1:9", "some-token")
    assert "at http://127.0.0.1:9/api/workflows/" in str(unreachable.value)
    assert "./dev up" in str(unreachable.value)


# running ------------------------------------------------------------------------------------
def test_run_executes_locally_and_outputs_are_reachable(tmp_path: Path) -> None:
    with Pipeline() as p:
        split = preprocessing.train_test_split(datasets.iris(), test_size=0.2, random_state=1)
    result = p.run(store=tmp_path)
    assert result.status == "succeeded"
    assert len(result.output(split.id, "train")) == 120
    again = p.run(store=tmp_path)
    assert {o.status for o in again.steps.values()} == {"cached"}


def test_main_prints_json_and_exits_non_zero_on_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Pipeline() as p:
        io.read_csv(path="missing.csv")
    with pytest.raises(SystemExit) as info:
        p.main(["--store", str(tmp_path / "s"), "--data-dir", str(tmp_path), "--json"])
    assert info.value.code == 1
    assert '"status": "failed"' in capsys.readouterr().out
