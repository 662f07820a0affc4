import { beforeEach, describe, expect, it } from "vitest";
import { selectNodeProblems, useValidationStore } from "./validationStore";

const v = () => useValidationStore.getState();

beforeEach(() => v().clear());

describe("validationStore", () => {
  it("groups problems by node and keeps a stable empty list for clean nodes", () => {
    v().setResult([
      { code: "missing_param", message: "target is required", node: "lr", param: "target" },
      { code: "invalid_param", message: "must be > 0", node: "lr", param: "C" },
      { code: "cycle", message: "a → b → a", node: "a" },
      { code: "malformed", message: "bad document" },
    ], { lr: {} });
    expect(selectNodeProblems("lr")(v())).toHaveLength(2);
    expect(selectNodeProblems("nobody")(v())).toBe(selectNodeProblems("other")(v()));
    expect(v().schemas).toEqual({ lr: {} });
  });

  it("drops a param's problems once it is edited, leaving the rest", () => {
    v().setResult([
      { code: "missing_param", message: "target is required", node: "lr", param: "target" },
      { code: "invalid_param", message: "must be > 0", node: "lr", param: "C" },
    ], null);
    v().clearParam("lr", "target");
    expect(selectNodeProblems("lr")(v()).map((p) => p.param)).toEqual(["C"]);
    const before = v().problems;
    v().clearParam("lr", "target");
    expect(v().problems).toBe(before);
  });
});
