/**
 * The current run's state, fed by WebSocket events (ARCHITECTURE.md §5) through a pure reducer.
 * `lastSeq` is the last event applied: events at or below it are ignored, and a reconnect asks the
 * server for what came after it (`?after=`), so the snapshot plus the replay miss nothing.
 */
import { create } from "zustand";
import type { RunEvent } from "../api/events";
import type { SocketState } from "../api/runSocket";
import type { NodeRun, NodeStatus, OutputRef, Run, RunStatus } from "../api/types";

export interface Progress {
  value: number;
  max: number | null;
  text: string;
}

export interface NodeRunState {
  status: NodeStatus;
  progress: Progress | null;
  startedAt: number | null;
  finishedAt: number | null;
  error: string | null;
  traceback: string | null;
  outputs: Record<string, OutputRef> | null;
}

export interface LogLine {
  seq: number;
  ts: string;
  level: string;
  message: string;
}

export interface RunData {
  runId: number | null;
  /** Version of the workflow the run executes. */
  version: number | null;
  status: RunStatus | "idle";
  lastSeq: number;
  error: string | null;
  nodes: Record<string, NodeRunState>;
  logs: Record<string, LogLine[]>;
  socket: SocketState | "none";
}

export const LOG_LIMIT = 500;

export const emptyRun: RunData = {
  runId: null, version: null, status: "idle", lastSeq: 0, error: null, nodes: {}, logs: {}, socket: "none",
};

const time = (iso: unknown): number | null => {
  if (typeof iso !== "string" || !iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
};

const blankNode = (status: NodeStatus = "pending"): NodeRunState => ({
  status, progress: null, startedAt: null, finishedAt: null, error: null, traceback: null, outputs: null,
});

function fromNodeRun(n: Partial<NodeRun> & { node_id: string; status: NodeStatus }): NodeRunState {
  const p = (n.progress ?? {}) as Partial<Progress>;
  return {
    status: n.status,
    progress: n.status === "running" && typeof p.value === "number" ? { value: p.value, max: p.max ?? null, text: p.text ?? "" } : null,
    startedAt: time(n.started_at),
    finishedAt: time(n.finished_at),
    error: n.error || null,
    traceback: n.traceback || null,
    outputs: n.outputs && Object.keys(n.outputs).length ? n.outputs : null,
  };
}

type RunLike = Pick<Run, "id" | "status"> & Partial<Pick<Run, "version" | "error">> & { nodes: readonly (Partial<NodeRun> & { node_id: string; status: NodeStatus })[] };

/** Run state from a REST answer (`GET /api/runs/<id>/`, or starting a run). */
export function runFromApi(run: RunLike): RunData {
  return {
    ...emptyRun,
    runId: run.id, version: run.version ?? null, status: run.status, error: run.error || null,
    nodes: Object.fromEntries(run.nodes.map((n) => [n.node_id, fromNodeRun(n)])),
  };
}

function patchNode(state: RunData, id: string, patch: Partial<NodeRunState>): RunData {
  const prev = state.nodes[id] ?? blankNode();
  return { ...state, nodes: { ...state.nodes, [id]: { ...prev, ...patch } } };
}

/** Apply one event. Events of another run, and events already applied (seq <= lastSeq), change nothing. */
export function reduceRunEvent(state: RunData, e: RunEvent): RunData {
  if (e.type === "run.snapshot") {
    const same = state.runId === e.run;
    const base = runFromApi({ ...e.snapshot, id: e.run });
    // Same run: keep what was applied; the events after `lastSeq` replay next and are applied on top.
    return { ...base, socket: state.socket, lastSeq: same ? state.lastSeq : 0, logs: same ? state.logs : {} };
  }
  if (state.runId !== null && e.run !== state.runId) return state;
  if (e.seq <= state.lastSeq) return state;
  const next: RunData = { ...state, runId: e.run, lastSeq: e.seq };
  const ts = time(e.ts);
  switch (e.type) {
    case "run.started":
      return { ...next, status: "running" };
    case "run.finished":
      return { ...next, status: e.status ?? "succeeded", error: e.error || null };
    case "node.queued":
      return patchNode(next, e.node, { status: "queued", progress: null, error: null });
    case "node.started":
      return patchNode(next, e.node, { status: "running", startedAt: ts, finishedAt: null, progress: null, error: null });
    case "node.progress":
      return patchNode(next, e.node, {
        status: "running",
        progress: { value: Number(e.value ?? 0), max: e.max === null || e.max === undefined ? null : Number(e.max), text: String(e.text ?? "") },
      });
    case "node.cached":
      return patchNode(next, e.node, { status: "cached", finishedAt: ts, progress: null, outputs: e.outputs ?? null });
    case "node.succeeded":
      return patchNode(next, e.node, { status: "succeeded", finishedAt: ts, progress: null, outputs: e.outputs ?? null });
    case "node.failed":
      return patchNode(next, e.node, { status: "failed", finishedAt: ts, progress: null, error: String(e.error ?? "failed"), traceback: e.traceback ?? null });
    case "node.skipped":
      return patchNode(next, e.node, { status: "skipped", error: e.reason ?? null });
    case "node.cancelled":
      return patchNode(next, e.node, { status: "cancelled", finishedAt: ts, progress: null });
    case "node.log": {
      const line: LogLine = { seq: e.seq, ts: e.ts, level: String(e.level ?? "info"), message: String(e.message ?? "") };
      const lines = [...(next.logs[e.node] ?? []), line].slice(-LOG_LIMIT);
      return { ...next, logs: { ...next.logs, [e.node]: lines } };
    }
    default:
      return next;
  }
}

export const isRunActive = (s: Pick<RunData, "status">): boolean => s.status === "queued" || s.status === "running";

interface RunStore extends RunData {
  /** Show run `run` (from REST); live events follow through `applyEvents`. */
  startRun: (run: RunLike) => void;
  applyEvents: (events: RunEvent[]) => void;
  setSocket: (socket: RunData["socket"]) => void;
  reset: () => void;
}

export const useRunStore = create<RunStore>()((set) => ({
  ...emptyRun,
  startRun: (run) => set(runFromApi(run)),
  applyEvents: (events) => set((s) => events.reduce<RunData>(reduceRunEvent, s)),
  setSocket: (socket) => set({ socket }),
  reset: () => set(emptyRun),
}));

/** A node's run state (undefined when the node is not part of the current run). */
export const selectNodeRun = (id: string) => (s: RunData): NodeRunState | undefined => s.nodes[id];
