/**
 * Undo/redo as immutable snapshots of the graph document. Snapshots share unchanged node objects,
 * so a step costs one array per commit. Consecutive edits with the same key (typing in one
 * parameter field) merge into one step within a time window.
 */
import type { GraphSpec, NodeSpec } from "./types";

export interface History<T> {
  past: T[];
  present: T;
  future: T[];
  /** Key and time of the last recorded step, for merging edits. */
  lastKey: string | null;
  lastAt: number;
}

export interface RecordOptions<T> {
  key?: string | null;
  now?: number;
  mergeWindowMs?: number;
  limit?: number;
  equals?: (a: T, b: T) => boolean;
}

export const HISTORY_LIMIT = 200;
export const MERGE_WINDOW_MS = 1200;

export function initHistory<T>(present: T): History<T> {
  return { past: [], present, future: [], lastKey: null, lastAt: 0 };
}

/** Record `next` as the new present. Returns `h` itself when nothing changed. */
export function record<T>(h: History<T>, next: T, opts: RecordOptions<T> = {}): History<T> {
  const { key = null, now = Date.now(), mergeWindowMs = MERGE_WINDOW_MS, limit = HISTORY_LIMIT } = opts;
  if (next === h.present || opts.equals?.(h.present, next)) return h;
  const merge = key !== null && key === h.lastKey && now - h.lastAt <= mergeWindowMs && h.future.length === 0;
  if (merge) return { ...h, present: next, lastAt: now };
  const past = [...h.past, h.present];
  if (past.length > limit) past.splice(0, past.length - limit);
  return { past, present: next, future: [], lastKey: key, lastAt: now };
}

export const canUndo = <T>(h: History<T>): boolean => h.past.length > 0;
export const canRedo = <T>(h: History<T>): boolean => h.future.length > 0;

export function undo<T>(h: History<T>): History<T> {
  if (!h.past.length) return h;
  const past = h.past.slice(0, -1);
  return { past, present: h.past[h.past.length - 1] as T, future: [h.present, ...h.future], lastKey: null, lastAt: 0 };
}

export function redo<T>(h: History<T>): History<T> {
  if (!h.future.length) return h;
  const [present, ...future] = h.future as [T, ...T[]];
  return { past: [...h.past, h.present], present, future, lastKey: null, lastAt: 0 };
}

function sameNode(a: NodeSpec, b: NodeSpec): boolean {
  return a === b || (a.id === b.id && a.component === b.component && a.version === b.version &&
    (a.label ?? null) === (b.label ?? null) && a.position.x === b.position.x &&
    a.position.y === b.position.y &&
    (a.params === b.params || JSON.stringify(a.params) === JSON.stringify(b.params)));
}

/** Structural equality of two documents (order-sensitive, as edge order matters). */
export function sameGraph(a: GraphSpec, b: GraphSpec): boolean {
  if (a === b) return true;
  if (a.nodes.length !== b.nodes.length || a.edges.length !== b.edges.length) return false;
  for (let i = 0; i < a.nodes.length; i++) if (!sameNode(a.nodes[i] as NodeSpec, b.nodes[i] as NodeSpec)) return false;
  return a.edges.every((e, i) => {
    const f = b.edges[i];
    return !!f && e.source === f.source && e.source_port === f.source_port &&
      e.target === f.target && e.target_port === f.target_port;
  });
}
