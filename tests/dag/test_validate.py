"""Graph validation: every error code, pinned to the exact node/port/param/edge, all at once."""

from __future__ import annotations

import json
import random

from dag_toys import TOY, edge, graph, node

from designer.dag.errors import CODES, GraphError
from designer.dag.validate import check_graph, normalize_graph, parse_graph, validate_graph


def only(errors: list[GraphError], code: str) -> list[GraphError]:
    return [e for e in errors if e.code == code]


def pipeline() -> list[dict]:
    return [node("src", "toy.source"), node("sc", "toy.scale", cols=["a"]),
            node("fit", "toy.fit", target="y"), node("pred", "toy.predict")]


PIPE_EDGES = [edge("src", "table", "sc", "table"), edge("sc", "table", "fit", "table"),
              edge("fit", "model", "pred", "model"), edge("sc", "table", "pred", "table")]


def test_valid_graph_has_no_errors() -> None:
    assert validate_graph(graph(pipeline(), PIPE_EDGES), TOY) == []


# parsing ------------------------------------------------------------------------------------
def test_malformed_json_from_text_and_bytes() -> None:
    for raw in ('{"nodes": [', b"\xff\xfe{"):
        parsed, errors = parse_graph(raw)
        assert parsed is None
        assert [e.code for e in errors] == ["malformed_json"]


def test_malformed_fields_are_pinned_to_node_id_and_edge_index() -> None:
    doc = {
        "nodes": [node("ok", "toy.source"), {"id": "bad", "component": "toy.source", "version": 0}],
        "edges": [edge("ok", "table", "bad", "table"), {"source": "ok", "source_port": "table"}],
    }
    parsed, errors = parse_graph(json.dumps(doc))
    assert parsed is None
    assert {(e.code, e.node, e.edge) for e in errors} == {
        ("malformed", "bad", None),
        ("malformed", None, 1),
    }
    by_node = only(errors, "malformed")[0]
    assert by_node.message == "nodes[1].version must be ≥ 1 (got 0)"
    assert all("edges[1].target" in e.message for e in errors if e.edge == 1)


def test_a_document_that_is_not_an_object_is_malformed() -> None:
    assert [e.code for e in parse_graph("[1, 2]")[1]] == ["malformed"]


def test_validator_messages_are_not_repeated() -> None:
    [err] = parse_graph({"schema_version": 2})[1]
    assert (err.code, err.message) == ("malformed",
                                       "schema_version 2 is not supported; this server reads 1")


def test_duplicate_node_ids_reported_once_per_id() -> None:
    doc = {"nodes": [node("a", "toy.source"), node("a", "toy.source"), node("b", "toy.source"),
                     node("b", "toy.source"), node("c", "toy.source")]}
    parsed, errors = parse_graph(doc)
    assert parsed is None
    assert [(e.code, e.node) for e in errors] == [("duplicate_node", "a"), ("duplicate_node", "b")]


def test_parse_accepts_a_good_document() -> None:
    parsed, errors = parse_graph(json.dumps({"nodes": pipeline(), "edges": PIPE_EDGES}))
    assert errors == [] and parsed is not None and len(parsed.nodes) == 4


# catalogue checks, one per code ---------------------------------------------------------------
def test_unknown_component_suggests_close_ids() -> None:
    [err] = validate_graph(graph([node("n", "toy.sacle")]), TOY)
    assert (err.code, err.node) == ("unknown_component", "n")
    assert "'toy.scale'" in err.message


def test_unknown_version_lists_known_versions() -> None:
    [err] = validate_graph(graph([node("n", "toy.source", version=7)]), TOY)
    assert (err.code, err.node) == ("unknown_version", "n")
    assert "1, 2" in err.message


def test_dangling_edge_points_at_the_missing_node_and_edge() -> None:
    g = graph([node("src", "toy.source")],
              [edge("src", "table", "ghost", "table"), edge("phantom", "table", "src", "x")])
    errors = only(validate_graph(g, TOY), "dangling_edge")
    assert [(e.node, e.port, e.edge) for e in errors] == [("ghost", "table", 0),
                                                          ("phantom", "table", 1)]


def test_unknown_port_on_either_end() -> None:
    g = graph([node("src", "toy.source"), node("sc", "toy.scale")],
              [edge("src", "tabel", "sc", "table"), edge("src", "table", "sc", "tbl")])
    errors = only(validate_graph(g, TOY), "unknown_port")
    assert [(e.node, e.port, e.edge) for e in errors] == [("sc", "tbl", 1), ("src", "tabel", 0)]
    assert "did you mean 'table'" in errors[1].message


def test_incompatible_types_pinned_to_the_target_port() -> None:
    g = graph([node("src", "toy.source"), node("fit", "toy.fit", target="y"),
               node("pred", "toy.predict")],
              [edge("src", "table", "fit", "table"), edge("src", "table", "pred", "model"),
               edge("fit", "model", "pred", "table")])
    errors = only(validate_graph(g, TOY), "incompatible_types")
    assert [(e.node, e.port, e.edge) for e in errors] == [("pred", "model", 1),
                                                          ("pred", "table", 2)]
    assert "table" in errors[0].message and "model" in errors[0].message


def test_too_many_edges_into_a_single_input() -> None:
    g = graph([node("s1", "toy.source"), node("s2", "toy.source"), node("sc", "toy.scale"),
               node("cat", "toy.concat")],
              [edge("s1", "table", "sc", "table"), edge("s2", "table", "sc", "table"),
               edge("s1", "table", "cat", "tables"), edge("s2", "table", "cat", "tables")])
    [err] = validate_graph(g, TOY)
    assert (err.code, err.node, err.port, err.edge) == ("too_many_edges", "sc", "table", 1)


def test_missing_input_but_not_for_optional_ones() -> None:
    g = graph([node("j", "toy.join"), node("cat", "toy.concat"), node("src", "toy.source")],
              [edge("src", "table", "j", "right")])
    errors = validate_graph(g, TOY)
    assert [(e.code, e.node, e.port) for e in errors] == [("missing_input", "cat", "tables"),
                                                          ("missing_input", "j", "left")]


def test_cycle_reported_once_per_cycle_with_nodes_in_order() -> None:
    g = graph([node("src", "toy.source"), node("c", "toy.concat"), node("b", "toy.scale"),
               node("a", "toy.scale"), node("after", "toy.scale"), node("self", "toy.concat")],
              [edge("src", "table", "c", "tables"), edge("c", "table", "a", "table"),
               edge("a", "table", "b", "table"), edge("b", "table", "c", "tables"),
               edge("b", "table", "after", "table"), edge("self", "table", "self", "tables")])
    errors = only(validate_graph(g, TOY), "cycle")
    assert [e.node for e in errors] == ["a", "self"]
    assert "a → b → c → a" in errors[0].message
    assert "self → self" in errors[1].message


def test_long_cycle_is_found_without_recursion() -> None:
    n = 3000
    nodes = [node(f"n{i:05d}", "toy.concat") for i in range(n)]
    edges = [edge(f"n{i:05d}", "table", f"n{(i + 1) % n:05d}", "tables") for i in range(n)]
    [err] = validate_graph(graph(nodes, edges), TOY)
    assert (err.code, err.node) == ("cycle", "n00000")
    assert err.message.count("→") == n


def test_unknown_param_suggests_the_close_name() -> None:
    [err] = validate_graph(graph([node("s", "toy.source", rowz=3)]), TOY)
    assert (err.code, err.node, err.param) == ("unknown_param", "s", "rowz")
    assert "did you mean 'rows'" in err.message


def test_invalid_param_range_type_and_enum_are_human() -> None:
    g = graph([node("s", "toy.source", rows=0), node("p", "toy.pick", col="a", mode="maybe"),
               node("sc", "toy.scale", cols="a", factor="big")],
              [edge("s", "table", "p", "table"), edge("s", "table", "sc", "table")])
    errors = only(validate_graph(g, TOY), "invalid_param")
    assert [(e.node, e.param) for e in errors] == [("p", "mode"), ("s", "rows"), ("sc", "cols"),
                                                   ("sc", "factor")]
    assert errors[1].message == "rows must be ≥ 1 (got 0)"
    assert "'keep' or 'drop'" in errors[0].message and "'maybe'" in errors[0].message
    assert errors[2].message.startswith("cols must be a list")
    [item] = validate_graph(graph([node("s", "toy.source"), node("sc", "toy.scale", cols=["a", 3])],
                                  [edge("s", "table", "sc", "table")]), TOY)
    assert (item.param, item.message) == ("cols", "cols[1] must be text (got a number 3)")


def test_missing_required_param() -> None:
    g = graph([node("s", "toy.source"), node("p", "toy.pick")], [edge("s", "table", "p", "table")])
    [err] = validate_graph(g, TOY)
    assert (err.code, err.node, err.param) == ("missing_param", "p", "col")


def test_unknown_column_lists_available_columns() -> None:
    g = graph([node("s", "toy.source"), node("p", "toy.pick", col="nmae")],
              [edge("s", "table", "p", "table")])
    [err] = validate_graph(g, TOY)
    assert (err.code, err.node, err.param) == ("unknown_column", "p", "col")
    assert "did you mean 'name'" in err.message and "a, b, name, y" in err.message


def test_column_not_numeric() -> None:
    g = graph([node("s", "toy.source"), node("sc", "toy.scale", cols=["a", "name"])],
              [edge("s", "table", "sc", "table")])
    [err] = validate_graph(g, TOY)
    assert (err.code, err.node, err.param) == ("column_not_numeric", "sc", "cols")
    assert "'name' (str)" in err.message


# all at once ---------------------------------------------------------------------------------
def test_several_problems_come_back_together_in_a_stable_order() -> None:
    nodes = [node("a", "toy.nope"), node("b", "toy.source"), node("c", "toy.scale"),
             node("d", "toy.pick", col="zzz"), node("e", "toy.fit", target="y", bogus=1),
             node("f", "toy.source", rows=-1)]
    edges = [edge("b", "table", "d", "table"), edge("b", "table", "e", "table"),
             edge("x", "table", "e", "table")]
    errors = validate_graph(graph(nodes, edges), TOY)
    assert [(e.code, e.node) for e in errors] == [
        ("unknown_component", "a"),
        ("missing_input", "c"),
        ("unknown_column", "d"),
        ("too_many_edges", "e"),
        ("unknown_param", "e"),
        ("invalid_param", "f"),
        ("dangling_edge", "x"),
    ]
    shuffled = nodes[:]
    random.Random(3).shuffle(shuffled)
    assert validate_graph(graph(shuffled, edges), TOY) == errors
    assert {e.code for e in errors} <= set(CODES)


def test_check_graph_parses_then_validates() -> None:
    parsed, errors = check_graph(json.dumps({"nodes": [node("a", "toy.nope")]}), TOY)
    assert parsed is not None and [e.code for e in errors] == ["unknown_component"]
    assert check_graph("not json", TOY)[0] is None


def test_error_to_dict_is_json_ready() -> None:
    err = GraphError("unknown_port", "m", node="n", port="p", edge=2)
    assert err.to_dict() == {"code": "unknown_port", "message": "m", "node": "n", "port": "p",
                             "param": None, "edge": 2}


# normalisation -------------------------------------------------------------------------------
def test_normalize_drops_defaults_only() -> None:
    g = graph([node("s", "toy.source", rows=10), node("sc", "toy.scale", cols=[], factor=2.0),
               node("p", "toy.pick", col="a", mode="keep", junk=1), node("u", "toy.nope", x=1)])
    out = normalize_graph(g, TOY)
    assert {n.id: n.params for n in out.nodes} == {
        "s": {}, "sc": {"factor": 2.0}, "p": {"col": "a", "junk": 1}, "u": {"x": 1}}
    assert normalize_graph(out, TOY) is out
