"""Graph -> code -> graph is the identity (canonically), for every sample and for random graphs
over the real catalogue; exported code compiles and is a fixed point of export(import(...))."""

from __future__ import annotations

import json
import keyword
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from components.library import load
from components.sdk import Params, Registry, Table, component
from components.sdk.spec import ComponentSpec
from components.sdk.types import can_connect
from designer.dag.export import ExportError, graph_to_code, py_str
from designer.dag.importer import code_to_graph
from designer.dag.model import NODE_ID_PATTERN, EdgeSpec, GraphSpec, NodeSpec, Position
from designer.dag.validate import normalize_graph
from designer.samples import list_samples, load_sample

REGISTRY = load()


def roundtrip(graph: GraphSpec, registry: Registry = REGISTRY) -> str:
    code = graph_to_code(graph, registry, name="round trip")
    compile(code, "<exported>", "exec")
    back = code_to_graph(code, registry)
    assert back.canonical_json() == normalize_graph(graph, registry).canonical_json()
    assert graph_to_code(back, registry, name="round trip") == code
    return code


# samples ------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", list_samples())
def test_every_sample_round_trips_and_its_code_is_short_lines(name: str) -> None:
    graph = load_sample(name)[2]
    code = roundtrip(graph)
    assert max(len(line) for line in code.splitlines()) <= 100
    assert "pipeline.layout(" in code and 'if __name__ == "__main__":' in code


def test_there_are_at_least_five_samples_and_they_validate() -> None:
    from designer.dag.validate import validate_graph

    assert len(list_samples()) >= 5
    for name in list_samples():
        assert validate_graph(load_sample(name)[2], REGISTRY) == [], name


def test_export_writes_only_what_differs_from_the_sdk_defaults() -> None:
    _, _, graph = load_sample("iris_logistic_regression")
    code = graph_to_code(graph, REGISTRY)
    assert "from designer.sdk.components import datasets, evaluation, preprocessing, training" in (
        code
    )
    assert "id=" not in code  # sample ids follow the automatic id rule
    assert "version=" not in code
    assert "random_state=0" in code and "test_size" not in code  # defaults left out
    assert "table=train_test_split.train" in code
    assert '"standard_scaler": (480, 0)' in code  # integral positions as ints


# hand-picked cases --------------------------------------------------------------------------
def node(node_id: str, component: str, label: str | None = None, **params: Any) -> NodeSpec:
    return NodeSpec(id=node_id, component=component, version=1, params=params, label=label)


def edge(source: str, port: str, target: str, target_port: str = "table") -> EdgeSpec:
    return EdgeSpec(source=source, source_port=port, target=target, target_port=target_port)


def test_ids_are_written_only_where_the_automatic_rule_differs() -> None:
    graph = GraphSpec(
        nodes=(
            node("iris_2", "datasets.iris"),
            node("zz", "datasets.iris"),
            node("iris", "datasets.iris"),
            node("n1", "preprocessing.concat_rows"),
        ),
        edges=(
            edge("zz", "table", "n1", "tables"),
            edge("iris_2", "table", "n1", "tables"),
            edge("iris", "table", "n1", "tables"),
        ),
    )
    code = roundtrip(graph)
    # topological order, ties by id: iris, iris_2, zz, n1; only zz and n1 need an id
    assert code.count("id=") == 2 and 'id="zz"' in code and 'id="n1"' in code
    assert "tables=[iris_3.table, iris_2.table, iris.table]" in code  # names from components


def test_variable_names_avoid_keywords_builtins_module_names_and_each_other() -> None:
    labels = ["class", "print", "pipeline", "datasets", "Pipeline", "", "中文", "class", "2 fast"]
    graph = GraphSpec(nodes=tuple(node(f"n{i}", "datasets.iris", label) for i, label in
                                  enumerate(labels)))  # fmt: skip
    code = roundtrip(graph)
    targets = [line.split(" = ")[0].strip() for line in code.splitlines() if " = datasets." in line]
    assert len(set(targets)) == len(targets) == len(labels)
    for name in targets:
        assert name.isidentifier() and not keyword.iskeyword(name)
        assert name not in {"print", "pipeline", "datasets", "Pipeline", "class"}
    assert targets[0] == "class_node" and targets[8] == "node_2_fast"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["scaler", "scaler_3", "iris", "print"]),
                          st.booleans()), max_size=30))
def test_remembered_suffixes_name_exactly_as_a_fresh_search(calls: list[tuple[str, bool]]
                                                            ) -> None:
    """The suffix memo (linear export of large graphs) changes no name: for any sequence of
    requests, each either taken by the caller or not, the names equal a search from _2."""
    from designer.dag.naming import auto_node_id, variable_name

    for name_of in (auto_node_id, lambda b, used, start=None: variable_name(b, "x", used, start)):
        used: set[str] = set()
        memo: dict[str, int] = {}
        for base, take in calls:
            fresh = name_of(base, used)
            assert name_of(base, used, memo) == fresh
            if take:
                used.add(fresh)


def test_port_names_that_clash_with_handle_attributes_use_subscripts() -> None:
    from designer.dag.export import _reference

    assert _reference("x", "id") == 'x["id"]' and _reference("x", "train") == "x.train"


@pytest.mark.parametrize(
    ("text", "quote"),
    [("plain", '"'), ('say "hi"', "'"), ("it's", '"'), ("both ' and \"", '"'),
     ("back\\slash\\'", '"'), ("new\nline\t", '"'), ("é", '"'), ('""\'', "'")],
)  # fmt: skip
def test_py_str_quotes_like_ruff_format_and_keeps_the_text(text: str, quote: str) -> None:
    import ast

    literal = py_str(text)
    assert literal[0] == literal[-1] == quote and ast.literal_eval(literal) == text


def test_cycles_and_unknown_components_cannot_be_exported() -> None:
    cyclic = GraphSpec(
        nodes=(
            node("a", "preprocessing.standard_scaler"),
            node("b", "preprocessing.standard_scaler"),
        ),
        edges=(edge("a", "table", "b"), edge("b", "table", "a")),
    )
    with pytest.raises(ExportError, match="cycle through a, b"):
        graph_to_code(cyclic, REGISTRY)
    with pytest.raises(ExportError, match="unknown component 'datasets.nope'"):
        graph_to_code(GraphSpec(nodes=(node("a", "datasets.nope"),)), REGISTRY)


def test_an_empty_graph_exports_a_valid_empty_pipeline() -> None:
    code = roundtrip(GraphSpec())
    assert "    pass" in code and "components import" not in code


class SourceParams(Params):
    rows: int = 10


def _toy_source(version: int, registry: Registry) -> None:
    def source(params: SourceParams) -> Table:
        """A toy source, never run."""
        raise NotImplementedError

    component(id="toys.source", version=version, category="Toys", registry=registry)(source)


def test_older_component_versions_are_written_with_version() -> None:
    toy = Registry()
    _toy_source(1, toy)
    _toy_source(2, toy)
    graph = GraphSpec(nodes=(
        NodeSpec(id="source", component="toys.source", version=1, params={"rows": 3}),
        NodeSpec(id="source_2", component="toys.source", version=2),
    ))  # fmt: skip
    code = roundtrip(graph, toy)
    assert "source = toys.source(rows=3, version=1)" in code
    assert "source_2 = toys.source()" in code


# random graphs over the real catalogue ------------------------------------------------------
POOL: list[Any] = [
    0, 1, 2, 3, 5, 10, 100, -1, 0.0, 0.5, 0.1, 0.9, 0.3333333333333333, 1.5, 2.0, 1e-3, 1e-9,
    123.456, True, False, None, "a", "target", "f0", "x y", 'quote " \' \\ end', "line\nbreak",
    "é中", "mean", "sqrt", "balanced", [], ["a"], ["target", "f 0"], ['odd "name"'], {}, {"a": 1},
]  # fmt: skip


def _enums(schema: Any) -> list[Any]:
    found: list[Any] = []
    if isinstance(schema, dict):
        found += list(schema.get("enum", [])) + ([schema["const"]] if "const" in schema else [])
        for value in schema.values():
            found += _enums(value)
    elif isinstance(schema, list):
        for value in schema:
            found += _enums(value)
    return found


def _valid(model: type[BaseModel], params: dict[str, Any]) -> bool:
    try:
        model.model_validate(params)
    except ValidationError:
        return False
    return True


def _param_candidates(spec: ComponentSpec) -> tuple[dict[str, Any], dict[str, list[Any]]] | None:
    """(values for required params, valid candidate values per param) or None if unusable."""
    model = spec.params_model
    required = {n: "target" for n, f in model.model_fields.items() if f.is_required()}
    if not _valid(model, required):
        return None
    candidates = {}
    properties = model.model_json_schema().get("properties", {})
    for name in model.model_fields:
        pool = POOL + _enums(properties.get(name, {}))
        values = [v for v in pool if _valid(model, {**required, name: v})]
        if values:
            candidates[name] = values
    return required, candidates


SPECS = {s.id: s for s in REGISTRY.latest()}
CANDIDATES = {cid: c for cid, s in SPECS.items() if (c := _param_candidates(s)) is not None}
LABELS = ["class", "import", "print", "list", "pipeline", "Pipeline", "datasets", "io", "result",
          "", "123", "Train/test split", "LogReg", "__init__", "中文", "x" * 60]  # fmt: skip


def test_nearly_every_component_takes_part_in_the_random_graphs() -> None:
    assert len(CANDIDATES) >= len(SPECS) - 2, sorted(set(SPECS) - set(CANDIDATES))


def _feedable(cid: str, wires: set[str]) -> bool:
    """Every required input of ``cid`` can take one of the output ``wires`` seen so far."""
    return all(p.optional or any(can_connect(w, p.type) for w in wires) for p in SPECS[cid].inputs)


@st.composite
def graphs(draw: st.DrawFn) -> GraphSpec:
    outputs: list[tuple[str, str, str]] = []  # (node id, port, wire type)
    nodes: list[NodeSpec] = []
    edges: list[EdgeSpec] = []
    labels: list[str] = []
    for _ in range(draw(st.integers(1, 7))):
        wires = {w for _, _, w in outputs}
        cid = draw(st.sampled_from(sorted(c for c in CANDIDATES if _feedable(c, wires))))
        spec = SPECS[cid]
        taken = frozenset(n.id for n in nodes)
        node_id = draw(
            st.one_of(
                st.sampled_from([spec.name, f"{spec.name}_2", f"{spec.name}_3"]),
                st.from_regex(NODE_ID_PATTERN, fullmatch=True),
            ).filter(lambda i, taken=taken: i not in taken)
        )
        for port in spec.inputs:
            sources = [(n, p) for n, p, w in outputs if can_connect(w, port.type)]
            if not sources:
                continue
            low = 0 if port.optional else 1
            count = draw(st.integers(low, 3)) if port.many else draw(st.integers(low, 1))
            for _ in range(count):
                source, source_port = draw(st.sampled_from(sources))
                edges.append(EdgeSpec(source=source, source_port=source_port, target=node_id,
                                      target_port=port.name))  # fmt: skip
        required, candidates = CANDIDATES[cid]
        chosen = draw(st.sets(st.sampled_from(sorted(candidates)))) if candidates else set()
        params = {**required, **{n: draw(st.sampled_from(candidates[n])) for n in chosen}}
        if not _valid(spec.params_model, params):
            params = dict(required)  # the values clash (a model validator); keep it valid
        label = draw(st.one_of(st.none(), st.text(max_size=20), st.sampled_from(LABELS + labels)))
        if label:
            labels.append(label)
        number = st.one_of(
            st.integers(-5000, 5000),
            st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
        )
        position = Position(x=draw(number), y=draw(number))
        nodes.append(NodeSpec(id=node_id, component=cid, version=spec.version, params=params,
                              label=label, position=position))  # fmt: skip
        outputs += [(node_id, p.name, p.type) for p in spec.outputs]
    return GraphSpec(nodes=tuple(draw(st.permutations(nodes))), edges=tuple(edges))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_random_graphs_round_trip_through_code(graph: GraphSpec) -> None:
    roundtrip(graph)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_random_graphs_stay_valid_json_documents_after_import(graph: GraphSpec) -> None:
    back = code_to_graph(graph_to_code(graph, REGISTRY), REGISTRY)
    assert GraphSpec.from_json(json.dumps(back.to_dict())) == back
