import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RunEvent } from "./types";
import { openRunSocket, runSocketUrl } from "./runSocket";

/** The part of a browser WebSocket the client uses (Node 20 has none to run against). */
class FakeSocket {
  static all: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) { FakeSocket.all.push(this); }
  close() { this.closed = true; this.onclose?.(); }
  emit(e: Partial<RunEvent>) { this.onmessage?.({ data: JSON.stringify(e) }); }
}

beforeEach(() => { FakeSocket.all = []; vi.useFakeTimers(); });
afterEach(() => vi.useRealTimers());

const open = (got: RunEvent[][]) => openRunSocket(5, {
  onEvents: (e) => got.push(e),
  url: "ws://test/ws/runs/5/",
  create: (url) => new FakeSocket(url) as unknown as WebSocket,
  schedule: (fn) => setTimeout(fn, 0),
});

describe("run socket", () => {
  it("builds ws/wss URLs from the page location", () => {
    expect(runSocketUrl(5, { protocol: "https:", host: "x.org" })).toBe("wss://x.org/ws/runs/5/");
    expect(runSocketUrl(5, { protocol: "http:", host: "localhost:8000" })).toBe("ws://localhost:8000/ws/runs/5/");
  });

  it("batches events per frame and reconnects with backoff until the run finishes", () => {
    const got: RunEvent[][] = [];
    const stop = open(got);
    const first = FakeSocket.all[0]!;
    first.onopen?.();
    first.emit({ type: "run.snapshot", seq: 1 });
    first.emit({ type: "node.started", seq: 2 });
    vi.advanceTimersByTime(1);
    expect(got.map((b) => b.map((e) => e.seq))).toEqual([[1, 2]]);

    first.onclose?.(); // dropped connection
    vi.advanceTimersByTime(499);
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.all).toHaveLength(2);

    const second = FakeSocket.all[1]!;
    second.emit({ type: "run.finished", seq: 3 });
    second.onclose?.();
    vi.advanceTimersByTime(10_000);
    expect(FakeSocket.all).toHaveLength(2); // finished: no reconnect
    expect(got.flat().map((e) => e.seq)).toEqual([1, 2, 3]);
    stop();
  });

  it("stops for good when closed by the caller", () => {
    const stop = open([]);
    stop();
    expect(FakeSocket.all[0]!.closed).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
  });
});
