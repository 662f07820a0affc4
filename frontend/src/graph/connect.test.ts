import { describe, expect, it } from "vitest";
import { fixtureIndex } from "../test/fixtures";
import { canConnect, reaches, typesCompatible, type NodeRef } from "./connect";
import type { EdgeSpec } from "./types";

const cat = fixtureIndex();
const nodes: Record<string, NodeRef> = {
  iris: { component: "datasets.iris", version: 1 },
  wine: { component: "datasets.wine", version: 1 },
  scaler: { component: "preprocessing.standard_scaler", version: 1, label: "Scale" },
  split: { component: "preprocessing.train_test_split", version: 1 },
  concat: { component: "preprocessing.concat_rows", version: 1 },
  lr: { component: "training.logistic_regression", version: 1 },
  pred: { component: "evaluation.predict", version: 1 },
};
const ctx = (edges: EdgeSpec[] = []) => ({ node: (id: string) => nodes[id], edges });
const e = (source: string, source_port: string, target: string, target_port: string): EdgeSpec =>
  ({ source, source_port, target, target_port });
const conn = (source: string, sourcePort: string, target: string, targetPort: string) =>
  ({ source, sourcePort, target, targetPort });

describe("canConnect", () => {
  it("accepts matching types per the catalogue's connectable table", () => {
    expect(canConnect(cat, ctx(), conn("iris", "table", "scaler", "table"))).toEqual({ ok: true });
    expect(canConnect(cat, ctx(), conn("lr", "model", "pred", "model"))).toEqual({ ok: true });
  });

  it("refuses a type mismatch and says which types meet", () => {
    const v = canConnect(cat, ctx(), conn("scaler", "transformer", "pred", "model"));
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(v.reason).toContain("gives transformer");
      expect(v.reason).toContain("needs model");
    }
  });

  it("follows the table it is given, not hard-coded names", () => {
    const custom = { ...cat, raw: { ...cat.raw, connectable: { ...cat.raw.connectable, transformer: ["model"] } } };
    expect(typesCompatible(custom, "transformer", "model")).toBe(true);
    expect(canConnect(custom, ctx(), conn("scaler", "transformer", "pred", "model")).ok).toBe(true);
  });

  it("lets a single input take one edge only", () => {
    const v = canConnect(cat, ctx([e("iris", "table", "scaler", "table")]), conn("wine", "table", "scaler", "table"));
    expect(v).toEqual({ ok: false, reason: expect.stringContaining("takes one edge") });
  });

  it("lets a many input take several edges but not the same one twice", () => {
    const edges = [e("iris", "table", "concat", "tables")];
    expect(canConnect(cat, ctx(edges), conn("wine", "table", "concat", "tables")).ok).toBe(true);
    expect(canConnect(cat, ctx(edges), conn("iris", "table", "concat", "tables"))).toEqual({ ok: false, reason: expect.stringContaining("already connected") });
  });

  it("refuses self-loops and cycles", () => {
    expect(canConnect(cat, ctx(), conn("scaler", "table", "scaler", "table")).ok).toBe(false);
    const edges = [e("scaler", "table", "split", "table"), e("split", "train", "lr", "table")];
    const v = canConnect(cat, ctx(edges), conn("split", "test", "scaler", "table"));
    expect(v).toEqual({ ok: false, reason: expect.stringContaining("cycle") });
  });

  it("refuses unknown ports, missing handles and unknown nodes", () => {
    expect(canConnect(cat, ctx(), conn("iris", "nope", "scaler", "table")).ok).toBe(false);
    expect(canConnect(cat, ctx(), conn("iris", "table", "scaler", "nope")).ok).toBe(false);
    expect(canConnect(cat, ctx(), { source: "iris", sourcePort: null, target: "scaler", targetPort: "table" }).ok).toBe(false);
    expect(canConnect(cat, ctx(), conn("ghost", "table", "scaler", "table")).ok).toBe(false);
  });
});

describe("reaches", () => {
  it("walks edges transitively", () => {
    const edges = [e("a", "x", "b", "x"), e("b", "x", "c", "x")];
    expect(reaches(edges, "a", "c")).toBe(true);
    expect(reaches(edges, "c", "a")).toBe(false);
  });
});
