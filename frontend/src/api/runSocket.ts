/**
 * The run's WebSocket (`/ws/runs/<id>/`): events batched per animation frame, automatic
 * reconnect with backoff until `run.finished`. The server replays a snapshot on every connect and
 * the run store drops events it has already seen, so a reconnect loses nothing.
 */
import type { RunEvent } from "./types";

export interface RunSocketOptions {
  onEvents: (events: RunEvent[]) => void;
  onStateChange?: (state: "connecting" | "open" | "closed") => void;
  /** Where to connect (default: `/ws/runs/<id>/` on this page's host). */
  url?: string;
  /** For tests: build the socket (default: the browser's WebSocket). */
  create?: (url: string) => WebSocket;
  /** For tests: schedule a flush (default: requestAnimationFrame, or a timer in the background). */
  schedule?: (fn: () => void) => void;
}

export function runSocketUrl(runId: number, loc: Pick<Location, "protocol" | "host"> = window.location): string {
  return `${loc.protocol === "https:" ? "wss" : "ws"}://${loc.host}/ws/runs/${runId}/`;
}

const defaultSchedule = (fn: () => void): void => {
  if (typeof document !== "undefined" && document.visibilityState === "visible") requestAnimationFrame(fn);
  else setTimeout(fn, 50);
};

/** Open the socket; returns a function that closes it for good. */
export function openRunSocket(runId: number, opts: RunSocketOptions): () => void {
  const create = opts.create ?? ((url: string) => new WebSocket(url));
  const schedule = opts.schedule ?? defaultSchedule;
  let socket: WebSocket | null = null;
  let stopped = false;
  let finished = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let buffer: RunEvent[] = [];
  let flushQueued = false;

  const flush = () => {
    flushQueued = false;
    const events = buffer;
    buffer = [];
    if (events.length) opts.onEvents(events);
  };

  const connect = () => {
    opts.onStateChange?.("connecting");
    socket = create(opts.url ?? runSocketUrl(runId));
    socket.onopen = () => {
      attempt = 0;
      opts.onStateChange?.("open");
    };
    socket.onmessage = (msg) => {
      let event: RunEvent;
      try {
        event = JSON.parse(String(msg.data)) as RunEvent;
      } catch {
        return;
      }
      if (event.type === "run.finished") finished = true;
      buffer.push(event);
      if (!flushQueued) {
        flushQueued = true;
        schedule(flush);
      }
    };
    socket.onclose = () => {
      opts.onStateChange?.("closed");
      if (stopped || finished) return;
      const delay = Math.min(8000, 500 * 2 ** attempt++);
      timer = setTimeout(connect, delay);
    };
  };

  connect();
  return () => {
    stopped = true;
    clearTimeout(timer);
    flush();
    socket?.close();
  };
}
