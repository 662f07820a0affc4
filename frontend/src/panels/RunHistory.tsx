/** The workflow's runs, newest first: status, version, when, how long; click one to show it on the canvas. */
import { useListRuns } from "../api/queries/use-list-runs";
import { showRunById } from "../canvas/runFollow";
import { formatDuration } from "../nodes/NodeStatusBar";
import { useRunStore } from "../store/runStore";
import { useUiStore } from "../store/uiStore";
import { ago } from "./time";

export function RunHistory() {
  const workflow = useUiStore((s) => s.workflow);
  const toast = useUiStore((s) => s.showToast);
  const shown = useRunStore((s) => s.runId);
  const q = useListRuns(workflow?.id ?? null);
  const open = (id: number) => showRunById(id).catch((err: Error) => toast(`Could not open run ${id}: ${err.message}`, "error"));

  return (
    <div className="list-panel" data-testid="run-history">
      {q.isPending && <p className="muted pad">Loading runs…</p>}
      {q.error && <p className="error-text pad">{q.error.message}</p>}
      {q.data?.results.length === 0 && <p className="muted pad">No runs yet. Press Run (Ctrl Enter).</p>}
      <ul className="history-list">
        {q.data?.results.map((r) => {
          const o = (r.options ?? {}) as { from_node?: string | null; to_node?: string | null; use_cache?: boolean };
          const how = [o.from_node && `from ${o.from_node}`, o.to_node && `to ${o.to_node}`, o.use_cache === false && "no cache"]
            .filter(Boolean).join(", ");
          return (
            <li key={r.id} className={r.id === shown ? "shown" : ""}>
              <button type="button" className="hl-main" onClick={() => void open(r.id)} title="Show this run on the canvas">
                <span className="hl-title">
                  <span className={`badge badge-${r.status}`}>{r.status}</span> Run {r.id}
                  <span className="muted"> · v{r.version}</span>
                </span>
                <span className="hl-sub">
                  {ago(r.created_at)}{r.duration_s !== null ? ` · ${formatDuration(r.duration_s * 1000)}` : ""}{how ? ` · ${how}` : ""}
                </span>
                {r.error && <span className="hl-error">{r.error}</span>}
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
