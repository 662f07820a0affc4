/**
 * The run's WebSocket (`/ws/runs/<id>/?after=<seq>`): events batched per animation frame, automatic
 * reconnect with backoff. Each (re)connect asks for the events after the last one the client
 * applied, so the server's snapshot plus its replay fill exactly the gap (log lines included).
 * Closes itself once `run.finished` has been delivered; refusals (4403, 4404...) are not retried.
 */
import { FATAL_CLOSE_CODES, type RunEvent } from "./events";

export type SocketState = "connecting" | "open" | "closed" | "refused";

export interface RunSocketOptions {
  onEvents: (events: RunEvent[]) => void;
  /** The seq of the last event already applied (0: everything). */
  after?: () => number;
  onStateChange?: (state: SocketState, detail?: string) => void;
  /** Where to connect, without the query (default: `/ws/runs/<id>/` on this page's host). */
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

  const close = () => {
    stopped = true;
    clearTimeout(timer);
    socket?.close();
  };

  const flush = () => {
    flushQueued = false;
    const events = buffer;
    buffer = [];
    if (events.length) opts.onEvents(events);
    if (finished && !stopped) close();
  };

  const connect = () => {
    opts.onStateChange?.("connecting");
    const base = opts.url ?? runSocketUrl(runId);
    socket = create(`${base}?after=${Math.max(0, Math.floor(opts.after?.() ?? 0))}`);
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
    socket.onclose = (ev?: CloseEvent) => {
      const fatal = ev?.code !== undefined ? FATAL_CLOSE_CODES[ev.code] : undefined;
      if (fatal) {
        stopped = true;
        opts.onStateChange?.("refused", fatal);
        return;
      }
      opts.onStateChange?.("closed");
      if (stopped || finished) return;
      flush(); // apply what arrived, so the reconnect asks for the right `after`
      const delay = Math.min(8000, 500 * 2 ** attempt++);
      timer = setTimeout(connect, delay);
    };
  };

  connect();
  return () => {
    if (!stopped) flush();
    close();
  };
}
