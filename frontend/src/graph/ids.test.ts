import { describe, expect, it } from "vitest";
import { baseNodeId, NODE_ID_PATTERN, nextNodeId } from "./ids";

describe("node ids", () => {
  it("uses the part after the dot, then _2, _3", () => {
    expect(nextNodeId("datasets.iris", [])).toBe("iris");
    expect(nextNodeId("datasets.iris", ["iris"])).toBe("iris_2");
    expect(nextNodeId("datasets.iris", ["iris", "iris_2"])).toBe("iris_3");
  });

  it("takes the first free id, reusing a deleted base name", () => {
    expect(nextNodeId("datasets.iris", new Set(["iris_2", "iris_3"]))).toBe("iris");
    expect(nextNodeId("datasets.iris", ["iris", "iris_3"])).toBe("iris_2");
  });

  it("is not confused by other components sharing a prefix", () => {
    expect(nextNodeId("preprocessing.standard_scaler", ["standard", "standard_scaler_x"])).toBe("standard_scaler");
  });

  it("always produces ids the server accepts", () => {
    for (const id of ["a.b", "x.9lives", "weird.na me!", "nodot", `p.${"x".repeat(90)}`]) {
      expect(nextNodeId(id, [baseNodeId(id)])).toMatch(NODE_ID_PATTERN);
    }
  });
});
