/** A node's run status: badge (idle, queued, running with progress, succeeded, cached, failed...) and duration. */
import { memo } from "react";
import type { NodeRunState } from "../store/runStore";

const LABELS: Record<string, string> = {
  idle: "Idle", pending: "Waiting", ready: "Ready", queued: "Queued", running: "Running", succeeded: "Succeeded",
  cached: "Cached", failed: "Failed", skipped: "Skipped", cancelled: "Cancelled",
};

const ICONS: Record<string, string> = {
  idle: "○", pending: "◌", ready: "◌", queued: "◷", running: "▶", succeeded: "✓", cached: "⟲", failed: "✕", skipped: "–", cancelled: "■",
};

/** "850 ms", "12.3 s", "4 min 05 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

function StatusBar({ run }: { run: NodeRunState | undefined }) {
  const status = run?.status ?? "idle";
  const p = run?.progress;
  const fraction = p && p.max ? Math.min(1, Math.max(0, p.value / p.max)) : null;
  const duration = run?.startedAt && run.finishedAt ? formatDuration(run.finishedAt - run.startedAt) : null;
  return (
    <footer className="cnode-status" title={run?.error ?? undefined}>
      <span className={`badge badge-${status}`}>
        <span aria-hidden>{ICONS[status] ?? "○"}</span> {LABELS[status] ?? status}
      </span>
      {status === "running" && (
        <span className={`progress${fraction === null ? " indeterminate" : ""}`} title={p?.text || undefined}>
          <span className="progress-fill" style={fraction === null ? undefined : { width: `${fraction * 100}%` }} />
        </span>
      )}
      {duration && <span className="duration">{duration}</span>}
    </footer>
  );
}

export const NodeStatusBar = memo(StatusBar);
