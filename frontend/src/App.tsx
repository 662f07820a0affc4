/** The designer's frame: toolbar on top, palette left, canvas centre, inspector right. */
import { ReactFlowProvider } from "@xyflow/react";
import { useEffect } from "react";
import { useGetComponents } from "./api/queries/use-get-components";
import { FlowCanvas } from "./canvas/FlowCanvas";
import { ExportDialog } from "./panels/ExportDialog";
import { HelpOverlay } from "./panels/HelpOverlay";
import { Inspector } from "./panels/Inspector";
import { Palette } from "./panels/Palette";
import { ToastView } from "./panels/ToastView";
import { Toolbar } from "./panels/Toolbar";
import { useCatalogueStore } from "./store/catalogueStore";
import { useWorkflowSession } from "./canvas/useWorkflowSession";

export function App() {
  const components = useGetComponents();
  const setCatalogue = useCatalogueStore((s) => s.setCatalogue);
  useEffect(() => {
    if (components.data) setCatalogue(components.data);
  }, [components.data, setCatalogue]);
  useWorkflowSession();

  return (
    <ReactFlowProvider>
      <div className="app">
        <Toolbar />
        <Palette loading={components.isPending} error={components.error} />
        <main className="canvas-area">
          <FlowCanvas />
        </main>
        <Inspector />
      </div>
      <HelpOverlay />
      <ExportDialog />
      <ToastView />
    </ReactFlowProvider>
  );
}
