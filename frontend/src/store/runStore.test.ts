import { beforeEach, describe, expect, it } from "vitest";
import type { RunEvent } from "../api/events";
import { emptyRun, reduceRunEvent, useRunStore } from "./runStore";

let seq = 0;
const ev = (type: string, node?: string, extra: Record<string, unknown> = {}): RunEvent =>
  ({ type, run: 7, seq: ++seq, ts: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(), ...(node ? { node } : {}), ...extra }) as RunEvent;
const snapshot = (status: string, nodes: Record<string, unknown>[], at = seq) =>
  ({ type: "run.snapshot", run: 7, seq: at, ts: "2026-01-01T00:00:00Z", snapshot: { id: 7, status, nodes } }) as unknown as RunEvent;

beforeEach(() => {
  seq = 0;
  useRunStore.getState().reset();
});

describe("run events", () => {
  it("follows a run from snapshot to finish", () => {
    const s = useRunStore.getState();
    s.applyEvents([
      snapshot("queued", [{ node_id: "iris", status: "pending" }, { node_id: "lr", status: "pending" }]),
      ev("run.started"),
      ev("node.cached", "iris", { outputs: { table: { type: "table", digest: "d", size: 1, summary: { rows: 150 } } } }),
      ev("node.queued", "lr"),
      ev("node.started", "lr"),
      ev("node.progress", "lr", { value: 3, max: 10, text: "epoch 3" }),
    ]);
    let st = useRunStore.getState();
    expect(st.status).toBe("running");
    expect(st.nodes.iris?.status).toBe("cached");
    expect(st.nodes.iris?.outputs?.table?.summary).toEqual({ rows: 150 });
    expect(st.nodes.lr).toMatchObject({ status: "running", progress: { value: 3, max: 10, text: "epoch 3" } });
    s.applyEvents([ev("node.log", "lr", { level: "info", message: "hi" }), ev("node.succeeded", "lr"), ev("run.finished", undefined, { status: "succeeded" })]);
    st = useRunStore.getState();
    expect(st.status).toBe("succeeded");
    expect(st.nodes.lr?.finishedAt! - st.nodes.lr?.startedAt!).toBe(3000);
    expect(st.nodes.lr?.progress).toBeNull();
    expect(st.logs.lr?.map((l) => l.message)).toEqual(["hi"]);
  });

  it("ignores replayed and foreign events", () => {
    let s = reduceRunEvent(emptyRun, snapshot("running", [{ node_id: "a", status: "running" }], 0));
    const failed = ev("node.failed", "a", { error: "boom", traceback: "tb" });
    s = reduceRunEvent(s, failed);
    expect(reduceRunEvent(s, failed)).toBe(s);
    expect(reduceRunEvent(s, { ...ev("node.started", "a"), run: 99 } as RunEvent)).toBe(s);
    expect(s.nodes.a).toMatchObject({ status: "failed", error: "boom", traceback: "tb" });
  });

  it("a reconnect's snapshot plus replay (?after=lastSeq) loses no log line and ends in the right state", () => {
    let s = reduceRunEvent(emptyRun, snapshot("running", [{ node_id: "a", status: "pending" }], 0));
    s = reduceRunEvent(s, ev("node.started", "a")); // seq 1
    s = reduceRunEvent(s, ev("node.log", "a", { message: "one" })); // seq 2
    expect(s.lastSeq).toBe(2);
    // the socket drops; meanwhile seq 3 (log) and 4 (succeeded) happen. Reconnect with after=2:
    const missedLog = ev("node.log", "a", { message: "two" });
    const done = ev("node.succeeded", "a", { outputs: {} });
    s = reduceRunEvent(s, snapshot("running", [{ node_id: "a", status: "succeeded" }], 4));
    expect(s.lastSeq).toBe(2);
    s = [missedLog, done].reduce(reduceRunEvent, s);
    expect(s.logs.a?.map((l) => l.message)).toEqual(["one", "two"]);
    expect(s.nodes.a?.status).toBe("succeeded");
    expect(s.lastSeq).toBe(4);
  });

  it("starts from the REST answer before the socket speaks", () => {
    useRunStore.getState().startRun({ id: 3, status: "queued", version: 2, nodes: [{ node_id: "x", status: "queued" }] });
    expect(useRunStore.getState()).toMatchObject({ runId: 3, version: 2, status: "queued", lastSeq: 0, nodes: { x: { status: "queued" } } });
  });
});
