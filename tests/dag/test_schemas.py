"""Schema inference before a run, and the column checks that rely on it."""

from __future__ import annotations

from dag_toys import SOURCE_SCHEMA, TOY, edge, graph, node

from components.library import load
from components.sdk import TableSchema
from designer.dag.model import GraphSpec
from designer.dag.validate import infer_schemas, schemas_to_json, validate_graph

IRIS_FEATURES = ["sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"]


def test_iris_schema_flows_through_the_standard_scaler() -> None:
    registry = load()
    g = graph([node("iris", "datasets.iris"), node("scale", "preprocessing.standard_scaler")],
              [edge("iris", "table", "scale", "table")])
    schemas = infer_schemas(g, registry)
    iris = schemas["iris"]["table"]
    assert iris is not None and iris.names == [*IRIS_FEATURES, "target"]
    scaled = schemas["scale"]["table"]
    assert scaled is not None and scaled.names == iris.names
    assert all(scaled.get(c).kind == "float" for c in IRIS_FEATURES)  # type: ignore[union-attr]
    assert schemas["scale"]["transformer"] is None  # not a table
    assert validate_graph(g, registry) == []


def test_unknown_column_on_the_real_standard_scaler() -> None:
    registry = load()
    g = graph([node("iris", "datasets.iris"),
               node("scale", "preprocessing.standard_scaler", columns=["petal_length", "target"])],
              [edge("iris", "table", "scale", "table")])
    [err] = validate_graph(g, registry)
    assert (err.code, err.node, err.param) == ("unknown_column", "scale", "columns")
    assert "'petal_length'" in err.message and "petal_length_cm" in err.message


def test_propagation_through_several_toy_steps_and_outputs() -> None:
    g = graph([node("s", "toy.source"), node("p", "toy.pick", col="b", mode="drop"),
               node("sp", "toy.split"), node("sc", "toy.scale", cols=["y"])],
              [edge("s", "table", "p", "table"), edge("p", "table", "sp", "table"),
               edge("sp", "test", "sc", "table")])
    schemas = infer_schemas(g, TOY)
    assert schemas["p"]["table"] == SOURCE_SCHEMA.drop(["b"])
    assert schemas["sp"] == {"train": SOURCE_SCHEMA.drop(["b"]), "test": SOURCE_SCHEMA.drop(["b"])}
    assert schemas["sc"]["table"] == TableSchema.of([("a", "float"), ("name", "str"),
                                                     ("y", "float")])


def test_column_check_follows_the_propagated_schema() -> None:
    g = graph([node("s", "toy.source"), node("p", "toy.pick", col="b", mode="drop"),
               node("q", "toy.pick", col="b")],
              [edge("s", "table", "p", "table"), edge("p", "table", "q", "table")])
    [err] = validate_graph(g, TOY)
    assert (err.code, err.node, err.param) == ("unknown_column", "q", "col")
    assert "available: a, name, y" in err.message


def test_many_port_gets_a_schema_only_when_all_edges_agree() -> None:
    same = graph([node("s1", "toy.source"), node("s2", "toy.source"), node("cat", "toy.concat")],
                 [edge("s1", "table", "cat", "tables"), edge("s2", "table", "cat", "tables")])
    assert infer_schemas(same, TOY)["cat"]["table"] == SOURCE_SCHEMA
    differ = graph([node("s1", "toy.source"), node("p", "toy.pick", col="a"),
                    node("cat", "toy.concat")],
                   [edge("s1", "table", "cat", "tables"), edge("s1", "table", "p", "table"),
                    edge("p", "table", "cat", "tables")])
    assert infer_schemas(differ, TOY)["cat"]["table"] is None


def test_unknown_schemas_skip_column_checks_without_failing() -> None:
    g = graph([node("s", "toy.source"), node("br", "toy.broken"), node("p", "toy.pick", col="zz"),
               node("rd", "toy.read"), node("p2", "toy.pick", col="zz"),
               node("bad", "toy.source", rows=0), node("p3", "toy.pick", col="zz")],
              [edge("s", "table", "br", "table"), edge("br", "table", "p", "table"),
               edge("rd", "table", "p2", "table"), edge("bad", "table", "p3", "table")])
    schemas = infer_schemas(g, TOY)
    assert schemas["br"]["table"] is None and schemas["rd"]["table"] is None
    assert schemas["bad"]["table"] is None  # invalid params: unknown, not a guess
    assert [(e.code, e.node) for e in validate_graph(g, TOY)] == [("invalid_param", "bad")]


def test_cycles_and_unknown_components_give_unknown_schemas() -> None:
    g = graph([node("s", "toy.source"), node("c", "toy.concat"), node("p", "toy.pick", col="a"),
               node("x", "toy.nope")],
              [edge("s", "table", "c", "tables"), edge("c", "table", "p", "table"),
               edge("p", "table", "c", "tables")])
    schemas = infer_schemas(g, TOY)
    assert schemas["c"] == {"table": None} and schemas["p"] == {"table": None}
    assert schemas["x"] == {}


def test_schemas_to_json() -> None:
    g = graph([node("s", "toy.source"), node("f", "toy.fit", target="y")],
              [edge("s", "table", "f", "table")])
    assert schemas_to_json(infer_schemas(g, TOY)) == {
        "s": {"table": [{"name": "a", "kind": "float"}, {"name": "b", "kind": "int"},
                        {"name": "name", "kind": "str"}, {"name": "y", "kind": "int"}]},
        "f": {"model": None},
    }


def test_one_analysis_gives_the_schemas_that_inference_alone_gives() -> None:
    """The validate endpoint takes problems and schemas from one ``analyse`` pass (it ran the
    whole inference twice): the same schemas for cycles, unknown components, bad params,
    every sample and a large generated graph."""
    from bench.bench_compile import make_graph  # the benchmark's graphs of real components
    from designer.dag.validate import analyse
    from designer.samples import list_samples, load_sample

    registry = load()
    toys = [
        graph([node("s", "toy.source"), node("c", "toy.concat"), node("p", "toy.pick", col="a"),
               node("x", "toy.nope")],
              [edge("s", "table", "c", "tables"), edge("c", "table", "p", "table"),
               edge("p", "table", "c", "tables")]),
        graph([node("s", "toy.source"), node("p", "toy.pick", col=3)],  # invalid param
              [edge("s", "table", "p", "table")]),
    ]
    for g, reg in [*((t, TOY) for t in toys),
                   *((load_sample(n)[2], registry) for n in list_samples()),
                   (GraphSpec.model_validate(make_graph(registry, 300)), registry)]:
        assert analyse(g, reg).schemas == infer_schemas(g, reg)
