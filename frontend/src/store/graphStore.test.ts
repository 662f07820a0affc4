import { beforeEach, describe, expect, it } from "vitest";
import { fixtureCatalogue } from "../test/fixtures";
import { useCatalogueStore } from "./catalogueStore";
import { useGraphStore } from "./graphStore";

const g = () => useGraphStore.getState();
const ids = () => g().nodes.map((n) => n.id);
const link = (source: string, sourcePort: string, target: string, targetPort: string) =>
  g().connect({ source, sourcePort, target, targetPort });

beforeEach(() => {
  useCatalogueStore.getState().setCatalogue(fixtureCatalogue());
  g().load({ schema_version: 1, nodes: [], edges: [] });
});

describe("graphStore editing", () => {
  it("adds nodes with SDK ids, selected, with empty params", () => {
    expect(g().addNode("datasets.iris", { x: 10.6, y: 5 })).toBe("iris");
    expect(g().addNode("datasets.iris", { x: 0, y: 200 })).toBe("iris_2");
    expect(g().addNode("nope.missing", { x: 0, y: 0 })).toBeNull();
    expect(g().nodes.map((n) => [n.id, !!n.selected])).toEqual([["iris", false], ["iris_2", true]]);
    expect(g().document().nodes[0]).toEqual({ id: "iris", component: "datasets.iris", version: 1, params: {}, position: { x: 11, y: 5 } });
  });

  it("connects compatible ports and refuses the rest with a reason", () => {
    g().addNode("datasets.iris", { x: 0, y: 0 });
    g().addNode("preprocessing.standard_scaler", { x: 300, y: 0 });
    g().addNode("evaluation.predict", { x: 600, y: 0 });
    expect(link("iris", "table", "standard_scaler", "table").ok).toBe(true);
    const bad = link("standard_scaler", "transformer", "predict", "model");
    expect(bad.ok).toBe(false);
    expect(g().edges).toHaveLength(1);
    expect(g().edges[0]).toMatchObject({ id: "iris.table->standard_scaler.table", style: { stroke: "#2f80ed" } });
  });

  it("deletes selected nodes with their edges in one undo step", () => {
    g().addNode("datasets.iris", { x: 0, y: 0 });
    g().addNode("preprocessing.standard_scaler", { x: 300, y: 0 });
    link("iris", "table", "standard_scaler", "table");
    g().selectOnly(["iris"]);
    expect(g().deleteSelected()).toBe(2);
    expect(ids()).toEqual(["standard_scaler"]);
    expect(g().edges).toHaveLength(0);
    g().undo();
    expect(ids()).toEqual(["iris", "standard_scaler"]);
    expect(g().edges).toHaveLength(1);
  });
});

describe("graphStore undo/redo", () => {
  it("covers add, connect, move, param edits and layout", () => {
    g().addNode("datasets.iris", { x: 0, y: 0 });
    g().addNode("preprocessing.standard_scaler", { x: 0, y: 0 });
    link("iris", "table", "standard_scaler", "table");
    // a drag: intermediate positions are not steps, the drop is one
    g().onNodesChange([{ type: "position", id: "iris", position: { x: 50, y: 50 }, dragging: true }]);
    g().onNodesChange([{ type: "position", id: "iris", position: { x: 90, y: 70 }, dragging: true }]);
    expect(g().history.past).toHaveLength(3);
    g().onNodesChange([{ type: "position", id: "iris", position: { x: 100, y: 80 }, dragging: false }]);
    expect(g().history.past).toHaveLength(4);
    g().setParam("standard_scaler", "with_std", false);
    g().setParam("standard_scaler", "with_std", true); // same field, quickly: merged
    expect(g().history.past).toHaveLength(5);
    g().autoLayout();
    const laidOut = g().document();
    expect(laidOut.nodes[1]!.position.x).toBeGreaterThan(laidOut.nodes[0]!.position.x);

    g().undo();
    expect(g().document().nodes[0]!.position).toEqual({ x: 100, y: 80 });
    g().undo();
    expect(g().nodes[1]!.data.params).toEqual({});
    g().undo();
    expect(g().nodes[0]!.position).toEqual({ x: 0, y: 0 });
    g().undo();
    expect(g().edges).toHaveLength(0);
    g().undo();
    g().undo();
    expect(ids()).toEqual([]);
    expect(g().canUndo).toBe(false);
    for (let i = 0; i < 6; i++) g().redo();
    expect(g().document()).toEqual(laidOut);
    expect(g().canRedo).toBe(false);
  });

  it("resets a param to its default by removing it, and does not record no-op drops", () => {
    g().addNode("preprocessing.standard_scaler", { x: 0, y: 0 });
    g().setParam("standard_scaler", "with_mean", false);
    g().setParam("standard_scaler", "with_mean", undefined);
    expect(g().nodes[0]!.data.params).toEqual({});
    const before = g().history;
    g().onNodesChange([{ type: "position", id: "standard_scaler", position: { x: 0, y: 0 }, dragging: false }]);
    expect(g().history).toBe(before);
  });

  it("pastes a copied selection as one step with new ids", () => {
    g().addNode("datasets.iris", { x: 0, y: 0 });
    g().addNode("preprocessing.standard_scaler", { x: 300, y: 0 });
    link("iris", "table", "standard_scaler", "table");
    g().selectOnly(["iris", "standard_scaler"]);
    const fragment = g().copySelection()!;
    expect(g().paste(fragment)).toEqual(["iris_2", "standard_scaler_2"]);
    expect(g().edges.map((e) => e.id)).toContain("iris_2.table->standard_scaler_2.table");
    expect(g().nodes.filter((n) => n.selected).map((n) => n.id)).toEqual(["iris_2", "standard_scaler_2"]);
    g().undo();
    expect(ids()).toEqual(["iris", "standard_scaler"]);
  });

  it("load starts a fresh history", () => {
    g().addNode("datasets.iris", { x: 0, y: 0 });
    g().load({ schema_version: 1, nodes: [{ id: "a", component: "datasets.wine", version: 1, params: {}, position: { x: 1, y: 2 } }], edges: [] });
    expect(g().canUndo).toBe(false);
    expect(ids()).toEqual(["a"]);
  });
});
