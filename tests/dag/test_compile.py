"""The compiler: deterministic order, resolved steps, chained cache keys, partial runs."""

from __future__ import annotations

import dataclasses
import json
import random

import pytest
from dag_toys import TOY, edge, graph, node

from components.library import load
from designer.dag.compile import GraphInvalid, compile_graph
from designer.dag.model import GraphSpec
from designer.dag.plan import ExecutionPlan, InputRef
from designer.samples import list_samples, load_sample

#   src ── sc ── fit ── pred        (pred also reads sc's table)
#     └── pick ──────────┘ (no)     side: src ── pick      other: alone
NODES = [
    node("src", "toy.source"),
    node("sc", "toy.scale", cols=["a"]),
    node("fit", "toy.fit", target="y"),
    node("pred", "toy.predict"),
    node("pick", "toy.pick", col="b"),
    node("alone", "toy.source", rows=3),
]
EDGES = [
    edge("src", "table", "sc", "table"),
    edge("sc", "table", "fit", "table"),
    edge("fit", "model", "pred", "model"),
    edge("sc", "table", "pred", "table"),
    edge("src", "table", "pick", "table"),
]


def keys(plan: ExecutionPlan) -> dict[str, str | None]:
    return {s.step_id: s.cache_key for s in plan.steps}


def test_topological_order_breaks_ties_by_node_id() -> None:
    plan = compile_graph(graph(NODES, EDGES), TOY)
    assert plan.step_ids == ["alone", "src", "pick", "sc", "fit", "pred"]
    g = graph([node("z", "toy.source"), node("b", "toy.source"), node("a", "toy.scale")],
              [edge("z", "table", "a", "table")])
    assert compile_graph(g, TOY).step_ids == ["b", "z", "a"]


def test_steps_carry_resolved_params_inputs_queue_and_seed() -> None:
    g = graph([node("s1", "toy.source"), node("s2", "toy.source", rows=5),
               node("cat", "toy.concat"), node("gpu", "toy.gpu_fit")],
              [edge("s2", "table", "cat", "tables"), edge("s1", "table", "cat", "tables"),
               edge("cat", "table", "gpu", "table")])
    plan = compile_graph(g, TOY, seed=42)
    s1, cat, gpu = plan.step("s1"), plan.step("cat"), plan.step("gpu")
    assert s1.params == {"rows": 10} and plan.step("s2").params == {"rows": 5}
    assert cat.inputs == {"tables": (InputRef("s2", "table"), InputRef("s1", "table"))}
    assert (gpu.queue, s1.queue) == ("gpu", "cpu")
    assert {s.seed for s in plan.steps} == {42} and plan.seed == 42
    assert plan.children == {"s1": ("cat",), "s2": ("cat",), "cat": ("gpu",), "gpu": ()}
    assert plan.graph_hash == g.content_hash()
    assert ExecutionPlan.from_dict(plan.to_dict()) == plan


@pytest.mark.parametrize("name", list_samples())
def test_a_plans_dict_is_the_dataclass_form_and_a_copy(name: str) -> None:
    plan = compile_graph(load_sample(name)[2], load(), seed=3)
    data = plan.to_dict()
    # the same as the generic dataclass conversion, tuples as JSON lists
    for step, stored in zip(plan.steps, data["steps"], strict=True):
        expected = dataclasses.asdict(step)
        expected["inputs"] = {p: [dataclasses.asdict(r) for r in refs]
                              for p, refs in step.inputs.items()}
        expected["outputs"] = list(step.outputs)
        assert stored == expected
        assert list(stored) == [f.name for f in dataclasses.fields(step)]  # same key order
    assert json.loads(json.dumps(data)) == data
    assert ExecutionPlan.from_dict(data) == plan
    # changing the dict (a caller's copy) leaves the immutable plan as it was
    before = plan.to_dict()
    for stored in data["steps"]:
        stored["params"]["changed"] = [1]
        for value in stored["params"].values():
            if isinstance(value, list):
                value.append("x")
    assert plan.to_dict() == before


def test_cache_keys_are_stable_across_runs_and_listing_order() -> None:
    first = keys(compile_graph(graph(NODES, EDGES), TOY))
    rng = random.Random(7)
    for _ in range(5):
        nodes, edges = NODES[:], EDGES[:]
        rng.shuffle(nodes)
        rng.shuffle(edges)
        assert keys(compile_graph(graph(nodes, edges), TOY)) == first
    assert len(set(first.values())) == len(first)
    assert all(k is not None for k in first.values())


def test_explicit_default_params_give_the_same_keys() -> None:
    explicit = [dict(n) for n in NODES]
    explicit[0] = node("src", "toy.source", rows=10)
    assert keys(compile_graph(graph(explicit, EDGES), TOY)) == keys(
        compile_graph(graph(NODES, EDGES), TOY))


def test_changing_a_param_changes_that_node_and_its_descendants_only() -> None:
    before = keys(compile_graph(graph(NODES, EDGES), TOY))
    changed = [node("sc", "toy.scale", cols=["a", "b"]) if n["id"] == "sc" else n for n in NODES]
    after = keys(compile_graph(graph(changed, EDGES), TOY))
    assert {n for n in before if before[n] != after[n]} == {"sc", "fit", "pred"}


def test_seed_is_part_of_every_key() -> None:
    a = keys(compile_graph(graph(NODES, EDGES), TOY, seed=0))
    b = keys(compile_graph(graph(NODES, EDGES), TOY, seed=1))
    assert all(a[n] != b[n] for n in a)


def test_non_cacheable_step_makes_its_descendants_keys_unknown() -> None:
    g = graph([node("rd", "toy.read"), node("sc", "toy.scale"), node("fit", "toy.fit", target="y"),
               node("src", "toy.source"), node("j", "toy.join")],
              [edge("rd", "table", "sc", "table"), edge("sc", "table", "fit", "table"),
               edge("src", "table", "j", "left"), edge("sc", "table", "j", "right")])
    plan = compile_graph(g, TOY, validate=False)  # toy.read's schema is unknown: fine either way
    assert keys(plan) == {"rd": None, "sc": None, "fit": None, "j": None,
                          "src": keys(plan)["src"]}
    assert keys(plan)["src"] is not None
    assert not plan.step("rd").cacheable and plan.step("sc").cacheable


def test_to_node_keeps_it_and_its_ancestors() -> None:
    plan = compile_graph(graph(NODES, EDGES), TOY, to_node="fit")
    assert plan.step_ids == ["src", "sc", "fit"] and plan.force == ()
    assert plan.children == {"src": ("sc",), "sc": ("fit",), "fit": ()}
    full = keys(compile_graph(graph(NODES, EDGES), TOY))
    assert all(full[s] == k for s, k in keys(plan).items())


def test_from_node_forces_it_and_its_descendants_and_keeps_their_ancestors() -> None:
    plan = compile_graph(graph(NODES, EDGES), TOY, from_node="fit")
    assert plan.step_ids == ["src", "sc", "fit", "pred"]
    assert plan.force == ("fit", "pred")


def test_from_and_to_take_the_path_between_them() -> None:
    plan = compile_graph(graph(NODES, EDGES), TOY, from_node="sc", to_node="fit")
    assert plan.step_ids == ["src", "sc", "fit"] and plan.force == ("sc", "fit")
    with pytest.raises(GraphInvalid) as info:
        compile_graph(graph(NODES, EDGES), TOY, from_node="pick", to_node="fit")
    assert [e.code for e in info.value.errors] == ["not_connected"]


def test_unknown_from_or_to_node_is_an_error() -> None:
    with pytest.raises(GraphInvalid) as info:
        compile_graph(graph(NODES, EDGES), TOY, from_node="nope", to_node="nada")
    assert [(e.code, e.node) for e in info.value.errors] == [("unknown_node", "nope"),
                                                             ("unknown_node", "nada")]


def test_invalid_graph_raises_with_every_error() -> None:
    g = graph([node("a", "toy.scale"), node("b", "toy.nope")])
    with pytest.raises(GraphInvalid) as info:
        compile_graph(g, TOY)
    assert [(e.code, e.node) for e in info.value.errors] == [("missing_input", "a"),
                                                             ("unknown_component", "b")]
    with pytest.raises(GraphInvalid) as info:
        compile_graph(g, TOY, validate=False)  # cannot compile an unknown component regardless
    assert [e.code for e in info.value.errors] == ["unknown_component"]


def test_real_catalogue_iris_then_scaler() -> None:
    registry = load()
    doc = {"nodes": [node("iris", "datasets.iris"),
                     node("scale", "preprocessing.standard_scaler", columns=["petal_length_cm"])],
           "edges": [edge("iris", "table", "scale", "table")]}
    plan = compile_graph(GraphSpec.model_validate(doc), registry, seed=3)
    again = compile_graph(GraphSpec.model_validate(doc), registry, seed=3)
    assert plan == again and plan.step_ids == ["iris", "scale"]
    scale = plan.step("scale")
    assert scale.params["columns"] == ["petal_length_cm"] and scale.params["with_mean"] is True
    assert scale.outputs == ("table", "transformer") and scale.cache_key is not None
