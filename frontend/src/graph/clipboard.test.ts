import { describe, expect, it } from "vitest";
import { copyFragment, parseFragment, pasteFragment, serializeFragment } from "./clipboard";
import type { GraphSpec } from "./types";

const graph: GraphSpec = {
  schema_version: 1,
  nodes: [
    { id: "iris", component: "datasets.iris", version: 1, params: {}, position: { x: 0, y: 0 } },
    { id: "standard_scaler", component: "preprocessing.standard_scaler", version: 1, params: { columns: ["a"] }, position: { x: 300, y: 50 } },
    { id: "other", component: "datasets.wine", version: 1, params: {}, position: { x: 0, y: 200 } },
  ],
  edges: [
    { source: "iris", source_port: "table", target: "standard_scaler", target_port: "table" },
    { source: "other", source_port: "table", target: "standard_scaler", target_port: "table" },
  ],
};

describe("copy/paste", () => {
  it("copies selected nodes with only the edges between them", () => {
    const f = copyFragment(graph, ["iris", "standard_scaler"]);
    expect(f.nodes.map((n) => n.id)).toEqual(["iris", "standard_scaler"]);
    expect(f.edges).toHaveLength(1);
  });

  it("round-trips through text and ignores foreign clipboard content", () => {
    const f = copyFragment(graph, ["iris"]);
    expect(parseFragment(serializeFragment(f))).toEqual(f);
    expect(parseFragment("hello")).toBeNull();
    expect(parseFragment('{"nodes": []}')).toBeNull();
  });

  it("pastes with fresh ids, rewired edges, shifted positions and independent params", () => {
    const f = copyFragment(graph, ["iris", "standard_scaler"]);
    const { graph: out, pasted } = pasteFragment(graph, f);
    expect(pasted).toEqual(["iris_2", "standard_scaler_2"]);
    expect(out.edges.at(-1)).toEqual({ source: "iris_2", source_port: "table", target: "standard_scaler_2", target_port: "table" });
    expect(out.nodes.at(-1)?.position).toEqual({ x: 340, y: 90 });
    (out.nodes.at(-1)!.params.columns as string[]).push("b");
    expect(graph.nodes[1]!.params.columns).toEqual(["a"]);
  });

  it("places the fragment's corner at a point, into another workflow", () => {
    const f = copyFragment(graph, ["standard_scaler"]);
    const empty: GraphSpec = { schema_version: 1, nodes: [], edges: [] };
    const { graph: out, pasted } = pasteFragment(empty, f, { at: { x: 10, y: 20 } });
    expect(pasted).toEqual(["standard_scaler"]);
    expect(out.nodes[0]?.position).toEqual({ x: 10, y: 20 });
  });
});
