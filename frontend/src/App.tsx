/** The designer page (`/w/<id>/`): toolbar on top, palette left, canvas centre with the outputs and
 * logs panel under it, inspector / runs / versions right. */
import { ReactFlowProvider } from "@xyflow/react";
import { useEffect } from "react";
import { useGetComponents } from "./api/queries/use-get-components";
import { FlowCanvas } from "./canvas/FlowCanvas";
import { showLatestRun, stopFollowing } from "./canvas/runFollow";
import { useAutoValidate } from "./canvas/useAutoValidate";
import { useWorkflowSession } from "./canvas/useWorkflowSession";
import { BottomPanel } from "./panels/BottomPanel";
import { ExportDialog } from "./panels/ExportDialog";
import { HelpOverlay } from "./panels/HelpOverlay";
import { Palette } from "./panels/Palette";
import { ReadOnlyBanner } from "./panels/ReadOnlyBanner";
import { SidePanel } from "./panels/SidePanel";
import { ToastView } from "./panels/ToastView";
import { Toolbar } from "./panels/Toolbar";
import { useCatalogueStore } from "./store/catalogueStore";
import { useUiStore } from "./store/uiStore";

function LoadProblem({ error }: { error: Error }) {
  return (
    <div className="load-problem">
      <h2>This workflow could not be opened</h2>
      <p>{error.message}</p>
      <a className="tb-btn primary" href="/">All workflows</a>
    </div>
  );
}

export function App() {
  const components = useGetComponents();
  const setCatalogue = useCatalogueStore((s) => s.setCatalogue);
  useEffect(() => {
    if (components.data) setCatalogue(components.data);
  }, [components.data, setCatalogue]);
  const session = useWorkflowSession();
  useAutoValidate();
  const workflowId = useUiStore((s) => s.workflow?.id ?? null);
  useEffect(() => {
    if (workflowId === null) return;
    void showLatestRun(workflowId).catch(() => undefined);
    return stopFollowing;
  }, [workflowId]);

  return (
    <ReactFlowProvider>
      <div className="app">
        <Toolbar />
        <Palette loading={components.isPending} error={components.error} />
        <main className="canvas-area">
          <div className="canvas-stack">
            {session.error ? <LoadProblem error={session.error} /> : <FlowCanvas />}
            <ReadOnlyBanner />
          </div>
          <BottomPanel />
        </main>
        <SidePanel />
      </div>
      <HelpOverlay />
      <ExportDialog />
      <ToastView />
    </ReactFlowProvider>
  );
}
