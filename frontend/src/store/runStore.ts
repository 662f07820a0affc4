/**
 * The current run's state, fed by WebSocket events (ARCHITECTURE.md §5) through a pure reducer:
 * a snapshot replaces everything, later events apply in `seq` order, replays are ignored.
 */
import { create } from "zustand";
import type { NodeRun, NodeStatus, Progress, Run, RunEvent, RunStatus } from "../api/types";

export interface NodeRunState {
  status: NodeStatus;
  progress: Progress | null;
  startedAt: number | null;
  finishedAt: number | null;
  error: string | null;
  traceback: string | null;
  outputs: Record<string, unknown> | null;
}

export interface LogLine {
  seq: number;
  ts: string;
  level: string;
  message: string;
}

export interface RunData {
  runId: number | null;
  status: RunStatus | "idle";
  lastSeq: number;
  error: string | null;
  nodes: Record<string, NodeRunState>;
  logs: Record<string, LogLine[]>;
}

export const LOG_LIMIT = 500;

export const emptyRun: RunData = { runId: null, status: "idle", lastSeq: 0, error: null, nodes: {}, logs: {} };

const time = (iso: unknown): number | null => {
  if (typeof iso !== "string" || !iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
};

const blankNode = (status: NodeStatus = "pending"): NodeRunState => ({
  status, progress: null, startedAt: null, finishedAt: null, error: null, traceback: null, outputs: null,
});

function fromNodeRun(n: NodeRun): NodeRunState {
  const p = n.progress as Partial<Progress> | undefined;
  return {
    status: n.status,
    progress: p && typeof p.value === "number" ? { value: p.value, max: p.max ?? null, text: p.text ?? "" } : null,
    startedAt: time(n.started_at),
    finishedAt: time(n.finished_at),
    error: n.error || null,
    traceback: n.traceback || null,
    outputs: n.outputs && Object.keys(n.outputs).length ? n.outputs : null,
  };
}

/** Run state from the REST answer to "start a run" (before the socket's snapshot arrives). */
export function runFromApi(run: Run): RunData {
  return {
    runId: run.id, status: run.status, lastSeq: 0, error: run.error || null, logs: {},
    nodes: Object.fromEntries(run.nodes.map((n) => [n.node_id, fromNodeRun(n)])),
  };
}

function patchNode(state: RunData, id: string, patch: Partial<NodeRunState>): RunData {
  const prev = state.nodes[id] ?? blankNode();
  return { ...state, nodes: { ...state.nodes, [id]: { ...prev, ...patch } } };
}

/** Apply one event. Events of another run, and events already seen (seq <= lastSeq), change nothing. */
export function reduceRunEvent(state: RunData, e: RunEvent): RunData {
  if (e.type === "run.snapshot") {
    const body = (e.snapshot ?? e.state ?? e) as Partial<Run>;
    const base = runFromApi({ id: e.run, status: (body.status ?? "queued") as RunStatus, nodes: body.nodes ?? [], error: body.error ?? "" });
    return { ...base, lastSeq: e.seq, logs: state.runId === e.run ? state.logs : {} };
  }
  if (state.runId !== null && e.run !== state.runId) return state;
  if (e.seq <= state.lastSeq) return state;
  let next: RunData = { ...state, runId: e.run, lastSeq: e.seq };
  const ts = time(e.ts);
  const node = e.node;
  switch (e.type) {
    case "run.started":
      return { ...next, status: "running" };
    case "run.finished":
      return { ...next, status: (e.status as RunStatus) ?? "succeeded", error: (e.error as string) || null };
    default:
      break;
  }
  if (!node) return next;
  switch (e.type) {
    case "node.queued":
      return patchNode(next, node, { status: "queued", progress: null, error: null });
    case "node.started":
      return patchNode(next, node, { status: "running", startedAt: ts, finishedAt: null, progress: null, error: null });
    case "node.progress":
      return patchNode(next, node, {
        status: "running",
        progress: { value: Number(e.value ?? 0), max: e.max === null || e.max === undefined ? null : Number(e.max), text: String(e.text ?? "") },
      });
    case "node.cached":
      return patchNode(next, node, { status: "cached", finishedAt: ts, progress: null, outputs: (e.outputs as Record<string, unknown>) ?? null });
    case "node.succeeded":
      return patchNode(next, node, { status: "succeeded", finishedAt: ts, progress: null, outputs: (e.outputs as Record<string, unknown>) ?? null });
    case "node.failed":
      return patchNode(next, node, { status: "failed", finishedAt: ts, progress: null, error: String(e.error ?? "failed"), traceback: (e.traceback as string) ?? null });
    case "node.skipped":
      return patchNode(next, node, { status: "skipped", error: (e.reason as string) ?? null });
    case "node.cancelled":
      return patchNode(next, node, { status: "cancelled", finishedAt: ts, progress: null });
    case "node.log": {
      const line: LogLine = { seq: e.seq, ts: e.ts, level: String(e.level ?? "info"), message: String(e.message ?? "") };
      const lines = [...(next.logs[node] ?? []), line].slice(-LOG_LIMIT);
      next = { ...next, logs: { ...next.logs, [node]: lines } };
      return next;
    }
    default:
      return next;
  }
}

export const isRunActive = (s: Pick<RunData, "status">): boolean => s.status === "queued" || s.status === "running";

interface RunStore extends RunData {
  startRun: (run: Run) => void;
  applyEvents: (events: RunEvent[]) => void;
  reset: () => void;
}

export const useRunStore = create<RunStore>()((set) => ({
  ...emptyRun,
  startRun: (run) => set(runFromApi(run)),
  applyEvents: (events) => set((s) => events.reduce<RunData>(reduceRunEvent, s)),
  reset: () => set(emptyRun),
}));

/** A node's run state (undefined when the node is not part of the current run). */
export const selectNodeRun = (id: string) => (s: RunData): NodeRunState | undefined => s.nodes[id];
