/**
 * The run WebSocket's messages (ARCHITECTURE.md §5), mirrored from designer/realtime/events.py:
 * the `run.snapshot` sent first on every connection, then events `{type, run, node?, seq, ts, ...}`.
 */
import type { OutputRef, Run, RunStatus } from "./types";

interface Envelope {
  run: number;
  seq: number;
  ts: string;
  node?: string;
}

export type RunEvent =
  | (Envelope & { type: "run.snapshot"; snapshot: Run })
  | (Envelope & { type: "run.started" })
  | (Envelope & { type: "run.finished"; status: Extract<RunStatus, "succeeded" | "failed" | "cancelled">; error?: string })
  | (Envelope & { type: "node.queued"; node: string; queue?: string })
  | (Envelope & { type: "node.started"; node: string; attempt?: number })
  | (Envelope & { type: "node.progress"; node: string; value: number; max: number | null; text?: string })
  | (Envelope & { type: "node.log"; node: string; level: string; message: string })
  | (Envelope & { type: "node.succeeded" | "node.cached"; node: string; outputs: Record<string, OutputRef> })
  | (Envelope & { type: "node.failed"; node: string; error: string; traceback?: string })
  | (Envelope & { type: "node.skipped"; node: string; reason?: string })
  | (Envelope & { type: "node.cancelled"; node: string });

export type RunEventType = RunEvent["type"];

/** Close codes of refused sockets (designer/realtime/events.py): reconnecting will not help. */
export const FATAL_CLOSE_CODES: Record<number, string> = {
  4400: "the server refused the catch-up position",
  4403: "you are signed out; sign in again",
  4404: "the run does not exist or is not yours",
};
