/** Shown over the canvas while a past version is open: it is read-only; restore it or go back. */
import { useVersionActions } from "../canvas/useVersionActions";
import { useUiStore } from "../store/uiStore";

export function ReadOnlyBanner() {
  const viewing = useUiStore((s) => s.viewing);
  const latest = useUiStore((s) => s.workflow?.version);
  const actions = useVersionActions();
  if (viewing === null) return null;
  return (
    <div className="readonly-banner" role="status">
      <span>Viewing <strong>version {viewing}</strong> of {latest} — read-only.</span>
      <button type="button" className="tb-btn primary" onClick={() => void actions.restore(viewing)}>Restore this version</button>
      <button type="button" className="tb-btn" onClick={() => void actions.back()}>Back to current</button>
    </div>
  );
}
