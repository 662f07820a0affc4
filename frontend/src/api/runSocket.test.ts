import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RunEvent } from "./events";
import { openRunSocket, runSocketUrl } from "./runSocket";

/** The part of a browser WebSocket the client uses (Node 20 has none to run against). */
class FakeSocket {
  static all: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  onclose: ((e?: { code: number }) => void) | null = null;
  closed = false;
  constructor(readonly url: string) { FakeSocket.all.push(this); }
  close() { this.closed = true; this.onclose?.({ code: 1000 }); }
  emit(e: Partial<RunEvent>) { this.onmessage?.({ data: JSON.stringify(e) }); }
}

beforeEach(() => { FakeSocket.all = []; vi.useFakeTimers(); });
afterEach(() => vi.useRealTimers());

const open = (got: RunEvent[][], states: string[] = []) => openRunSocket(5, {
  onEvents: (e) => got.push(e),
  after: () => Math.max(0, ...got.flat().map((e) => e.seq)),
  onStateChange: (s) => states.push(s),
  url: "ws://test/ws/runs/5/",
  create: (url) => new FakeSocket(url) as unknown as WebSocket,
  schedule: (fn) => setTimeout(fn, 0),
});

describe("run socket", () => {
  it("builds ws/wss URLs from the page location", () => {
    expect(runSocketUrl(5, { protocol: "https:", host: "x.org" })).toBe("wss://x.org/ws/runs/5/");
    expect(runSocketUrl(5, { protocol: "http:", host: "localhost:8000" })).toBe("ws://localhost:8000/ws/runs/5/");
  });

  it("batches events per frame, reconnects with ?after=<last seq> and closes after run.finished", () => {
    const got: RunEvent[][] = [];
    const stop = open(got);
    const first = FakeSocket.all[0]!;
    expect(first.url).toBe("ws://test/ws/runs/5/?after=0");
    first.onopen?.();
    first.emit({ type: "run.snapshot", seq: 0 });
    first.emit({ type: "node.started", seq: 1 });
    first.emit({ type: "node.log", seq: 2 });
    vi.advanceTimersByTime(1);
    expect(got.map((b) => b.map((e) => e.seq))).toEqual([[0, 1, 2]]);

    first.onclose?.({ code: 1006 }); // dropped connection
    vi.advanceTimersByTime(499);
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(1);
    const second = FakeSocket.all[1]!;
    expect(second.url).toBe("ws://test/ws/runs/5/?after=2");

    second.emit({ type: "run.finished", seq: 3 });
    vi.advanceTimersByTime(1);
    expect(second.closed).toBe(true); // finished: the client closes, and does not reconnect
    vi.advanceTimersByTime(10_000);
    expect(FakeSocket.all).toHaveLength(2);
    expect(got.flat().map((e) => e.seq)).toEqual([0, 1, 2, 3]);
    stop();
  });

  it("does not retry a refusal (signed out, not your run)", () => {
    const states: string[] = [];
    open([], states);
    FakeSocket.all[0]!.onclose?.({ code: 4403 });
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(states.at(-1)).toBe("refused");
  });

  it("stops for good when closed by the caller", () => {
    const stop = open([]);
    stop();
    expect(FakeSocket.all[0]!.closed).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
  });
});
