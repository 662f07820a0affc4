/** The panel under the canvas: the selected node's outputs (per port) and its log for the run shown. */
import { OutputsView } from "../outputs/OutputsView";
import { useGraphStore } from "../store/graphStore";
import { useRunStore } from "../store/runStore";
import { useUiStore, type BottomTab } from "../store/uiStore";
import { LogsView } from "./LogsView";

const TABS: { id: BottomTab; label: string }[] = [{ id: "outputs", label: "Outputs" }, { id: "logs", label: "Logs" }];

export function BottomPanel() {
  const tab = useUiStore((s) => s.bottom);
  const setTab = useUiStore((s) => s.setBottom);
  const runId = useRunStore((s) => s.runId);
  const selected = useGraphStore((s) => {
    let found: string | null = null;
    for (const n of s.nodes) if (n.selected) { if (found) return null; found = n.id; }
    return found;
  });
  return (
    <section className={`bottom-panel${tab ? " open" : ""}`} aria-label="Outputs and logs">
      <div className="bp-bar">
        {TABS.map((t) => (
          <button key={t.id} type="button" className={`bp-tab${tab === t.id ? " active" : ""}`} onClick={() => setTab(tab === t.id ? null : t.id)}>
            {t.label}
          </button>
        ))}
        <span className="bp-context muted">
          {selected ? <>Node <code>{selected}</code></> : "Select one node"}
          {runId !== null && <> · run {runId}</>}
        </span>
        {tab && <button type="button" className="close" aria-label="Close the panel" onClick={() => setTab(null)}>×</button>}
      </div>
      {tab && (
        <div className="bp-body">
          {!selected && <p className="muted pad">Select one node to see its {tab}.</p>}
          {selected && tab === "outputs" && <OutputsView nodeId={selected} />}
          {selected && tab === "logs" && <LogsView nodeId={selected} />}
        </div>
      )}
    </section>
  );
}
