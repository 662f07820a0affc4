/** What a new, empty workflow shows: how to start. */
import { useUiStore } from "../store/uiStore";

export function EmptyState() {
  const openHelp = useUiStore((s) => s.setHelpOpen);
  return (
    <div className="empty-state" role="note">
      <div className="empty-card">
        <div className="empty-icon" aria-hidden>
          <span /><span /><span />
        </div>
        <h2>Start your workflow</h2>
        <p>
          Drag a component from the palette onto the canvas, or <strong>double-click</strong> the canvas to
          search. Connect an output port to an input port of the same type.
        </p>
        <p className="empty-hint">
          A first pipeline: <em>Iris</em> → <em>Train/test split</em> → <em>Logistic regression</em> → <em>Predict</em> → <em>Classification metrics</em>.
        </p>
        <button type="button" className="link-button" onClick={() => openHelp(true)}>
          Keyboard shortcuts (?)
        </button>
      </div>
    </div>
  );
}
