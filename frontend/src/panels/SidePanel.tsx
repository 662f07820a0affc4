/** The right-hand panel: the inspector, the run history or the saved versions, one at a time. */
import { useUiStore, type SidePanel as Tab } from "../store/uiStore";
import { Inspector } from "./Inspector";
import { RunHistory } from "./RunHistory";
import { VersionsPanel } from "./VersionsPanel";

const TABS: { id: Tab; label: string }[] = [
  { id: "inspector", label: "Inspector" },
  { id: "runs", label: "Runs" },
  { id: "versions", label: "Versions" },
];

export function SidePanel() {
  const side = useUiStore((s) => s.side);
  const setSide = useUiStore((s) => s.setSide);
  return (
    <aside className="side-panel" aria-label="Details">
      <div className="side-tabs" role="tablist">
        {TABS.map((t) => (
          <button key={t.id} type="button" role="tab" aria-selected={side === t.id} className={side === t.id ? "active" : ""} onClick={() => setSide(t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      <div className="side-body">
        {side === "inspector" && <Inspector />}
        {side === "runs" && <RunHistory />}
        {side === "versions" && <VersionsPanel />}
      </div>
    </aside>
  );
}
