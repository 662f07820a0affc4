import { describe, expect, it } from "vitest";
import { fixtureIndex } from "../test/fixtures";
import { specToNode, withGeometry, type DesignerNode } from "./convert";
import { estimateNodeSize, nodeGeometry } from "./size";

const catalogue = fixtureIndex();

describe("node geometry (what React Flow gets before it measures anything)", () => {
  it("sizes the box by its port rows, as the CSS lays it out (header, sub-line, rows, status)", () => {
    const iris = catalogue.latest("datasets.iris")!;
    const predict = catalogue.latest("evaluation.predict")!;
    expect(nodeGeometry(iris)).toMatchObject({ width: 220, height: 106 });
    expect(nodeGeometry(predict).height).toBe(128);
  });

  it("puts input handles on the left edge and outputs on the right, one row apart, named by port", () => {
    const split = nodeGeometry(catalogue.latest("preprocessing.train_test_split")!);
    expect(split.handles.map((h) => [h.id, h.type, h.x, h.y])).toEqual([
      ["table", "target", -10, 58], ["train", "source", 220, 58], ["test", "source", 220, 80],
    ]);
  });

  it("is attached to nodes of known components only, and kept while the component stays", () => {
    const base: DesignerNode = { id: "a", type: "component", position: { x: 0, y: 0 }, data: { component: "datasets.iris", version: 1, params: {} } };
    const known = withGeometry(base, catalogue);
    expect(known.measured).toEqual({ width: 220, height: 106 });
    expect(known.handles).toHaveLength(1);
    expect(withGeometry({ ...base, data: { ...base.data, component: "nope.nothing" } }, catalogue).measured).toBeUndefined();
    const moved = specToNode({ id: "a", component: "datasets.iris", version: 1, params: {}, position: { x: 5, y: 0 } }, known);
    expect(moved.measured).toBe(known.measured);
    expect(estimateNodeSize(moved, catalogue)).toEqual({ width: 220, height: 106 });
  });
});
