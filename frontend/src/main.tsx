/** Entry point: the query client, then the page for the path: `/w/<id>/` the designer, else the
 * workflow list (Django serves the same index.html for both). */
import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "@xyflow/react/dist/base.css";
import "./styles/app.css";
import "./styles/node.css";
import "./styles/panels.css";
import "./styles/outputs.css";
import "./styles/pages.css";
import { queryClient } from "./api/queryClient";
import { App } from "./App";
import { workflowIdFromPath } from "./canvas/useWorkflowSession";
import { WorkflowsPage } from "./pages/WorkflowsPage";

const onDesigner = workflowIdFromPath(window.location.pathname) !== null;

createRoot(document.getElementById("root") as HTMLElement).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      {onDesigner ? <App /> : <WorkflowsPage />}
    </QueryClientProvider>
  </StrictMode>,
);
