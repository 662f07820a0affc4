/** Saved versions of the workflow (every autosave that changed the graph): open one read-only, or restore it. */
import { useListVersions } from "../api/queries/use-list-versions";
import { useVersionActions } from "../canvas/useVersionActions";
import { useUiStore } from "../store/uiStore";
import { ago } from "./time";

export function VersionsPanel() {
  const workflow = useUiStore((s) => s.workflow);
  const viewing = useUiStore((s) => s.viewing);
  const q = useListVersions(workflow?.id ?? null);
  const actions = useVersionActions();
  const current = workflow?.version;

  return (
    <div className="list-panel" data-testid="versions">
      <p className="muted small pad-x">Edits are saved automatically; each change is a version. Open one to look at it, restore it to continue from it.</p>
      {q.isPending && <p className="muted pad">Loading versions…</p>}
      {q.error && <p className="error-text pad">{q.error.message}</p>}
      <ul className="history-list">
        {q.data?.results.map((v) => {
          const shown = viewing === null ? v.number === current : v.number === viewing;
          return (
            <li key={v.number} className={shown ? "shown" : ""}>
              <button type="button" className="hl-main" onClick={() => void actions.open(v.number)} title="Open this version (read-only)">
                <span className="hl-title">Version {v.number}{v.number === current ? " · current" : ""}</span>
                <span className="hl-sub">{ago(v.created_at)}{v.created_by ? ` · ${v.created_by}` : ""}{v.message ? ` · ${v.message}` : ""}</span>
              </button>
              {v.number !== current && (
                <button type="button" className="link-button" onClick={() => void actions.restore(v.number)}>Restore</button>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
