/** The top bar: back to the list, workflow name and save state, run controls, cache toggle, undo/redo,
 * layout, fit, export, help. */
import { useShallow } from "zustand/react/shallow";
import { useFitGraph } from "../canvas/useFitGraph";
import { useRunActions } from "../canvas/useRunActions";
import { useGraphStore } from "../store/graphStore";
import { isRunActive, useRunStore } from "../store/runStore";
import { useUiStore } from "../store/uiStore";
import { WorkflowName } from "./WorkflowName";

function Btn({ label, title, onClick, disabled, primary, icon }: {
  label: string; title: string; onClick: () => void; disabled?: boolean; primary?: boolean; icon?: string;
}) {
  return (
    <button type="button" className={`tb-btn${primary ? " primary" : ""}`} title={title} aria-label={label} onClick={onClick} disabled={disabled}>
      {icon && <span className="tb-icon" aria-hidden>{icon}</span>}
      <span className="tb-label">{label}</span>
    </button>
  );
}

export function Toolbar() {
  const fitGraph = useFitGraph();
  const actions = useRunActions();
  const g = useGraphStore(useShallow((s) => ({ canUndo: s.canUndo, canRedo: s.canRedo, empty: s.nodes.length === 0, undo: s.undo, redo: s.redo, layout: s.autoLayout })));
  const one = useGraphStore((s) => {
    let found: string | null = null;
    for (const n of s.nodes) if (n.selected) { if (found) return null; found = n.id; }
    return found;
  });
  const run = useRunStore(useShallow((s) => ({ status: s.status, active: isRunActive(s), socket: s.socket })));
  const ui = useUiStore(useShallow((s) => ({ useCache: s.useCache, setUseCache: s.setUseCache, setExportOpen: s.setExportOpen, setHelpOpen: s.setHelpOpen, readOnly: s.viewing !== null })));
  const busy = run.active || actions.starting || ui.readOnly;
  const fit = () => void fitGraph(300);
  const needOne = "Select one node first";

  return (
    <header className="toolbar">
      <a className="brand" href="/" title="All workflows"><span className="logo" aria-hidden>◆</span> Designer</a>
      <WorkflowName />
      <div className="tb-group">
        <Btn primary icon="▶" label="Run" title="Run the workflow (Ctrl Enter)" onClick={() => void actions.run()} disabled={busy || g.empty} />
        <Btn icon="⇥" label="Run from here" title={one ? `Run ${one} and everything after it` : needOne} onClick={() => one && void actions.runFrom(one)} disabled={busy || !one} />
        <Btn icon="⇤" label="Run to here" title={one ? `Run what ${one} needs, then ${one}` : needOne} onClick={() => one && void actions.runTo(one)} disabled={busy || !one} />
        <Btn icon="↻" label="Retry failed" title="Rerun what failed; what succeeded comes from the cache" onClick={() => void actions.retryFailed()} disabled={busy || (run.status !== "failed" && run.status !== "cancelled")} />
        <Btn icon="■" label="Cancel" title="Cancel the run" onClick={() => void actions.cancel()} disabled={!run.active} />
        <label className="tb-toggle" title="Reuse outputs of identical earlier steps">
          <input type="checkbox" checked={ui.useCache} onChange={(e) => ui.setUseCache(e.target.checked)} /> Cache
        </label>
        {run.active && run.socket !== "open" && run.socket !== "none" && <span className="live-state" title="The live connection dropped; reconnecting and catching up">reconnecting…</span>}
      </div>
      <div className="tb-group icons">
        <Btn icon="↶" label="Undo" title="Undo (Ctrl Z)" onClick={g.undo} disabled={!g.canUndo || ui.readOnly} />
        <Btn icon="↷" label="Redo" title="Redo (Ctrl Shift Z)" onClick={g.redo} disabled={!g.canRedo || ui.readOnly} />
        <Btn icon="⊞" label="Auto-layout" title="Arrange nodes left to right (L)" onClick={() => { g.layout(); requestAnimationFrame(fit); }} disabled={g.empty || ui.readOnly} />
        <Btn icon="⤢" label="Fit" title="Zoom to fit (F)" onClick={fit} disabled={g.empty} />
      </div>
      <div className="tb-group end">
        <Btn icon="</>" label="Export to code" title="Show this workflow as Python SDK code" onClick={() => ui.setExportOpen(true)} disabled={g.empty} />
        <Btn icon="?" label="Help" title="Keyboard shortcuts (?)" onClick={() => ui.setHelpOpen(true)} />
      </div>
    </header>
  );
}
