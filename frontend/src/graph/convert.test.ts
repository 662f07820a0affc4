import { describe, expect, it } from "vitest";
import { fixtureIndex } from "../test/fixtures";
import { edgeId, parseGraph, toFlow, toGraph } from "./convert";
import type { GraphSpec } from "./types";

const doc: GraphSpec = {
  schema_version: 1,
  nodes: [
    { id: "iris", component: "datasets.iris", version: 1, params: {}, label: "Iris", position: { x: 0, y: 10 } },
    { id: "scaler", component: "preprocessing.standard_scaler", version: 1, params: { with_std: false }, position: { x: 240, y: 0 } },
    { id: "concat", component: "preprocessing.concat_rows", version: 1, params: {}, position: { x: 480, y: 0 } },
  ],
  edges: [
    { source: "scaler", source_port: "table", target: "concat", target_port: "tables" },
    { source: "iris", source_port: "table", target: "concat", target_port: "tables" },
    { source: "iris", source_port: "table", target: "scaler", target_port: "table" },
  ],
};

describe("graph <-> React Flow", () => {
  it("round-trips a document exactly, keeping edge order", () => {
    const flow = toFlow(doc, fixtureIndex());
    expect(toGraph(flow.nodes, flow.edges)).toEqual(doc);
  });

  it("uses port names as handles and colours edges by port type", () => {
    const { nodes, edges } = toFlow(doc, fixtureIndex());
    expect(nodes[1]).toMatchObject({ id: "scaler", type: "component", data: { params: { with_std: false } } });
    expect(edges[2]).toMatchObject({ source: "iris", sourceHandle: "table", target: "scaler", targetHandle: "table" });
    expect(edges[2]?.style?.stroke).toBe(fixtureIndex().typeColour("table"));
    expect(new Set(edges.map((x) => x.id)).size).toBe(3);
    expect(edgeId(doc.edges[0]!)).toBe("scaler.table->concat.tables");
  });

  it("rounds positions and leaves out empty labels", () => {
    const { nodes, edges } = toFlow(doc);
    nodes[0] = { ...nodes[0]!, position: { x: 10.4, y: 19.6 }, data: { ...nodes[0]!.data, label: null } };
    const out = toGraph(nodes, edges);
    expect(out.nodes[0]).toEqual({ id: "iris", component: "datasets.iris", version: 1, params: {}, position: { x: 10, y: 20 } });
  });

  it("reuses unchanged node objects and keeps selection", () => {
    const first = toFlow(doc);
    first.nodes[0] = { ...first.nodes[0]!, selected: true };
    const moved: GraphSpec = { ...doc, nodes: doc.nodes.map((n, i) => (i === 2 ? { ...n, position: { x: 1, y: 1 } } : n)) };
    const second = toFlow(moved, undefined, first.nodes, first.edges);
    expect(second.nodes[0]).toBe(first.nodes[0]);
    expect(second.nodes[1]).toBe(first.nodes[1]);
    expect(second.nodes[2]).not.toBe(first.nodes[2]);
    expect(second.edges[0]).toBe(first.edges[0]);
  });

  it("parses untrusted documents and rejects non-graphs with a reason", () => {
    const parsed = parseGraph({ nodes: [{ id: "a", component: "datasets.iris" }], edges: [] });
    expect(parsed.nodes[0]).toEqual({ id: "a", component: "datasets.iris", version: 1, params: {}, position: { x: 0, y: 0 } });
    expect(() => parseGraph({ nodes: [{ component: 3 }] })).toThrow(/string 'id'/);
    expect(() => parseGraph({ nodes: "x" })).toThrow(/Not a workflow graph/);
  });
});
