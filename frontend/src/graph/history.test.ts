import { describe, expect, it } from "vitest";
import { canRedo, canUndo, initHistory, record, redo, sameGraph, undo } from "./history";
import type { GraphSpec } from "./types";

describe("history", () => {
  it("undoes and redoes in order; a new edit clears redo", () => {
    let h = initHistory(0);
    h = record(h, 1);
    h = record(h, 2);
    expect(canUndo(h)).toBe(true);
    h = undo(h);
    expect(h.present).toBe(1);
    h = undo(h);
    expect(h.present).toBe(0);
    expect(canUndo(h)).toBe(false);
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present).toBe(1);
    h = record(h, 5);
    expect(canRedo(h)).toBe(false);
    expect(undo(h).present).toBe(1);
  });

  it("merges edits with the same key inside the window only", () => {
    let h = initHistory("");
    h = record(h, "a", { key: "p", now: 1000 });
    h = record(h, "ab", { key: "p", now: 1500 });
    h = record(h, "abc", { key: "p", now: 1900 });
    expect(h.past).toEqual([""]);
    h = record(h, "abcd", { key: "p", now: 9000 });
    expect(h.past).toEqual(["", "abc"]);
    h = record(h, "x", { key: "q", now: 9001 });
    expect(h.past).toEqual(["", "abc", "abcd"]);
    expect(undo(h).present).toBe("abcd");
  });

  it("does not merge across an undo", () => {
    let h = initHistory(0);
    h = record(h, 1, { key: "k", now: 0 });
    h = undo(h);
    h = record(h, 2, { key: "k", now: 1 });
    expect(h.past).toEqual([0]);
  });

  it("skips no-op edits and caps its length", () => {
    let h = initHistory({ n: 1 });
    const same = record(h, { n: 1 }, { equals: (a, b) => a.n === b.n });
    expect(same).toBe(h);
    for (let i = 0; i < 10; i++) h = record(h, { n: i + 2 }, { limit: 3 });
    expect(h.past.map((x) => x.n)).toEqual([8, 9, 10]);
  });

  it("compares graph documents structurally", () => {
    const g = (x: number, params = {}): GraphSpec => ({
      schema_version: 1,
      nodes: [{ id: "a", component: "c.a", version: 1, params, position: { x, y: 0 } }],
      edges: [],
    });
    expect(sameGraph(g(1), g(1))).toBe(true);
    expect(sameGraph(g(1), g(2))).toBe(false);
    expect(sameGraph(g(1, { a: 1 }), g(1, { a: 2 }))).toBe(false);
  });
});
