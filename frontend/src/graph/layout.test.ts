import { describe, expect, it } from "vitest";
import { layeredLayout, type LayoutEdge, type LayoutNode } from "./layout";

const box = (id: string, height = 80): LayoutNode => ({ id, width: 200, height });
const overlaps = (pos: Map<string, { x: number; y: number }>, nodes: LayoutNode[]) => {
  for (const a of nodes) for (const b of nodes) {
    if (a.id >= b.id) continue;
    const p = pos.get(a.id)!;
    const q = pos.get(b.id)!;
    if (p.x < q.x + b.width && q.x < p.x + a.width && p.y < q.y + b.height && q.y < p.y + a.height) return true;
  }
  return false;
};

describe("layeredLayout", () => {
  it("puts every edge's target to the right of its source, without overlaps", () => {
    const nodes = ["data", "split", "train", "predict", "metrics", "roc"].map((id) => box(id));
    const edges: LayoutEdge[] = [
      { source: "data", target: "split" }, { source: "split", target: "train", sourceIndex: 0 },
      { source: "split", target: "predict", sourceIndex: 1, targetIndex: 1 }, { source: "train", target: "predict" },
      { source: "predict", target: "metrics" }, { source: "predict", target: "roc" },
    ];
    const pos = layeredLayout(nodes, edges);
    for (const e of edges) expect(pos.get(e.target)!.x).toBeGreaterThan(pos.get(e.source)!.x);
    expect(overlaps(pos, nodes)).toBe(false);
  });

  it("pulls a source next to its consumer", () => {
    const nodes = ["a", "b", "c", "late"].map((id) => box(id));
    const pos = layeredLayout(nodes, [
      { source: "a", target: "b" }, { source: "b", target: "c" }, { source: "late", target: "c" },
    ]);
    expect(pos.get("late")!.x).toBe(pos.get("b")!.x);
  });

  it("orders nodes to avoid crossings", () => {
    // a1->b2 and a2->b1 cross in input order; the layout should untangle them.
    const nodes = ["a1", "a2", "b2", "b1"].map((id) => box(id));
    const pos = layeredLayout(nodes, [{ source: "a1", target: "b1" }, { source: "a2", target: "b2" }]);
    const above = (x: string, y: string) => pos.get(x)!.y < pos.get(y)!.y;
    expect(above("a1", "a2")).toBe(above("b1", "b2"));
  });

  it("survives cycles and unknown edges, and is fast on 1,000 nodes", () => {
    expect(layeredLayout([box("a"), box("b")], [{ source: "a", target: "b" }, { source: "b", target: "a" }, { source: "a", target: "zz" }]).size).toBe(2);
    const nodes = Array.from({ length: 1000 }, (_, i) => box(`n${i}`));
    const edges = nodes.slice(1).map((n, i) => ({ source: `n${Math.floor(i / 3)}`, target: n.id }));
    const t0 = performance.now();
    const pos = layeredLayout(nodes, edges);
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(pos.size).toBe(1000);
  });
});

describe("layeredLayout packing", () => {
  it("packs unconnected pipelines into a compact block instead of two long columns", () => {
    const nodes: LayoutNode[] = [];
    const edges: LayoutEdge[] = [];
    for (let i = 0; i < 100; i++) {
      nodes.push(box(`d${i}`), box(`s${i}`));
      edges.push({ source: `d${i}`, target: `s${i}` });
    }
    const pos = layeredLayout(nodes, edges);
    const xs = [...pos.values()].map((p) => p.x);
    const ys = [...pos.values()].map((p) => p.y + 80);
    const width = Math.max(...xs) + 200;
    const height = Math.max(...ys);
    expect(width / height).toBeGreaterThan(0.5);
    expect(width / height).toBeLessThan(4);
    expect(overlaps(pos, nodes)).toBe(false);
    for (let i = 0; i < 100; i++) expect(pos.get(`s${i}`)!.x).toBeGreaterThan(pos.get(`d${i}`)!.x);
  });
});
