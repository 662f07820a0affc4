import { beforeEach, describe, expect, it } from "vitest";
import type { RunEvent } from "../api/types";
import { emptyRun, reduceRunEvent, useRunStore } from "./runStore";

let seq = 0;
const ev = (type: string, node?: string, extra: Record<string, unknown> = {}): RunEvent =>
  ({ type, run: 7, seq: ++seq, ts: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(), ...(node ? { node } : {}), ...extra });

beforeEach(() => {
  seq = 0;
  useRunStore.getState().reset();
});

describe("run events", () => {
  it("follows a run from snapshot to finish", () => {
    const s = useRunStore.getState();
    s.applyEvents([
      ev("run.snapshot", undefined, { status: "queued", nodes: [{ node_id: "iris", status: "pending" }, { node_id: "lr", status: "pending" }] }),
      ev("run.started"),
      ev("node.cached", "iris", { outputs: { table: { rows: 150 } } }),
      ev("node.queued", "lr"),
      ev("node.started", "lr"),
      ev("node.progress", "lr", { value: 3, max: 10, text: "epoch 3" }),
    ]);
    let st = useRunStore.getState();
    expect(st.status).toBe("running");
    expect(st.nodes.iris?.status).toBe("cached");
    expect(st.nodes.lr).toMatchObject({ status: "running", progress: { value: 3, max: 10, text: "epoch 3" } });
    s.applyEvents([ev("node.log", "lr", { level: "info", message: "hi" }), ev("node.succeeded", "lr"), ev("run.finished", undefined, { status: "succeeded" })]);
    st = useRunStore.getState();
    expect(st.status).toBe("succeeded");
    expect(st.nodes.lr?.finishedAt! - st.nodes.lr?.startedAt!).toBe(3000);
    expect(st.nodes.lr?.progress).toBeNull();
    expect(st.logs.lr?.map((l) => l.message)).toEqual(["hi"]);
  });

  it("ignores replayed and foreign events", () => {
    const snap = ev("run.snapshot", undefined, { status: "running", nodes: [{ node_id: "a", status: "running" }] });
    const failed = ev("node.failed", "a", { error: "boom", traceback: "tb" });
    let s = reduceRunEvent(emptyRun, snap);
    s = reduceRunEvent(s, failed);
    expect(reduceRunEvent(s, failed)).toBe(s);
    expect(reduceRunEvent(s, { ...ev("node.started", "a"), run: 99 })).toBe(s);
    expect(s.nodes.a).toMatchObject({ status: "failed", error: "boom", traceback: "tb" });
  });

  it("a reconnect snapshot replaces node states but keeps the run's logs", () => {
    let s = reduceRunEvent(emptyRun, ev("run.snapshot", undefined, { nodes: [{ node_id: "a", status: "pending" }] }));
    s = reduceRunEvent(s, ev("node.log", "a", { message: "one" }));
    s = reduceRunEvent(s, ev("run.snapshot", undefined, { status: "running", nodes: [{ node_id: "a", status: "running", progress: { value: 1, max: 2 } }] }));
    expect(s.nodes.a).toMatchObject({ status: "running", progress: { value: 1, max: 2 } });
    expect(s.logs.a).toHaveLength(1);
    expect(s.lastSeq).toBe(3);
  });

  it("starts from the REST answer before the socket speaks", () => {
    useRunStore.getState().startRun({ id: 3, status: "queued", nodes: [{ node_id: "x", status: "queued" }] });
    expect(useRunStore.getState()).toMatchObject({ runId: 3, status: "queued", nodes: { x: { status: "queued" } } });
  });
});
