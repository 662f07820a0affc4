/** A node's log in the current run: persisted lines (REST) merged with live ones (WebSocket), then
 * its error and traceback when it failed. */
import { useEffect, useMemo, useRef } from "react";
import { useGetNodeLogs } from "../api/queries/use-get-node-logs";
import { selectNodeRun, useRunStore, type LogLine } from "../store/runStore";

const NONE: LogLine[] = [];
const clock = (ts: string) => new Date(ts).toLocaleTimeString([], { hour12: false });

export function LogsView({ nodeId }: { nodeId: string }) {
  const runId = useRunStore((s) => s.runId);
  const run = useRunStore(selectNodeRun(nodeId));
  const live = useRunStore((s) => s.logs[nodeId] ?? NONE);
  const q = useGetNodeLogs(run ? runId : null, nodeId, `${run?.status}:${live.length}`);
  const lines = useMemo(() => {
    const bySeq = new Map<number, LogLine>();
    for (const l of q.data?.lines ?? []) bySeq.set(l.seq, { ...l, ts: String(l.ts) });
    for (const l of live) bySeq.set(l.seq, l);
    return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  }, [q.data, live]);
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => end.current?.scrollIntoView({ block: "end" }), [lines.length]);

  if (runId === null || !run) return <p className="muted pad">Run the workflow to see this node’s log.</p>;
  const error = run.error ?? (q.data?.error || null);
  const traceback = run.traceback ?? (q.data?.traceback || null);
  return (
    <div className="logs-view" data-testid="logs">
      {lines.length === 0 && !error && <p className="muted">No log lines {run.status === "running" ? "yet" : "from this node"}.</p>}
      {lines.map((l) => (
        <div key={l.seq} className={`log-line level-${l.level}`}>
          <span className="log-ts">{clock(l.ts)}</span>
          <span className="log-level">{l.level}</span>
          <span className="log-msg">{l.message}</span>
        </div>
      ))}
      {error && run.status === "failed" && <pre className="error-block">{error}{traceback ? `\n\n${traceback}` : ""}</pre>}
      <div ref={end} />
    </div>
  );
}
