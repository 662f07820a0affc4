import { describe, expect, it } from "vitest";
import { toFlow } from "../graph/convert";
import { fixtureIndex } from "../test/fixtures";
import { drawOverview, nodeAt } from "./overview";

const catalogue = fixtureIndex();
const { nodes, edges } = toFlow({
  schema_version: 1,
  nodes: [
    { id: "iris", component: "datasets.iris", version: 1, params: {}, position: { x: 0, y: 0 } },
    { id: "split", component: "preprocessing.train_test_split", version: 1, params: {}, position: { x: 400, y: 0 } },
  ],
  edges: [{ source: "iris", source_port: "table", target: "split", target_port: "table" }],
}, catalogue);

/** Records the calls the overview makes (Node has no canvas). */
function recorder() {
  const calls: string[] = [];
  const ctx = new Proxy({}, {
    get: (_, name: string) => (...args: unknown[]) => calls.push(`${name}(${args.filter((a) => typeof a !== "object").join(",")})`),
    set: () => true,
  });
  return { ctx: ctx as unknown as CanvasRenderingContext2D, calls };
}

globalThis.Path2D ??= class { moveTo() {} bezierCurveTo() {} rect() {} } as unknown as typeof Path2D;

describe("far-zoom overview", () => {
  it("finds the node under a flow point, topmost first", () => {
    expect(nodeAt(nodes, catalogue, 10, 10)).toBe("iris");
    expect(nodeAt(nodes, catalogue, 410, 120)).toBe("split"); // 128 tall: two output rows
    expect(nodeAt(nodes, catalogue, 300, 10)).toBeNull();
  });

  it("draws the nodes in view and skips the rest", () => {
    const all = recorder();
    drawOverview(all.ctx, { x: 0, y: 0, zoom: 0.2, width: 800, height: 600 }, nodes, edges, catalogue, { status: () => undefined, problems: () => false });
    expect(all.calls.filter((c) => c.startsWith("fillRect"))).toHaveLength(4); // body + colour bar per node
    const some = recorder(); // view only the left node
    drawOverview(some.ctx, { x: 0, y: 0, zoom: 1, width: 300, height: 300 }, nodes, edges, catalogue, { status: () => "succeeded", problems: (id) => id === "iris" });
    expect(some.calls.filter((c) => c.startsWith("fillRect"))).toHaveLength(2);
    expect(some.calls.some((c) => c.startsWith("strokeRect"))).toBe(true); // the problem outline
  });
});
