/**
 * Past versions: open one read-only (the editor shows its graph; nothing can change it), go back
 * to the current graph, or restore a past one (saved as a new version, history is never rewritten).
 */
import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { apiFetch } from "../api/client";
import { keys } from "../api/queries/keys";
import { fetchVersion } from "../api/queries/use-list-versions";
import { updateWorkflow } from "../api/queries/use-update-workflow";
import type { Workflow } from "../api/types";
import { parseGraph } from "../graph/convert";
import { useGraphStore } from "../store/graphStore";
import { useUiStore } from "../store/uiStore";
import { refOf, useEnsureSaved } from "./useWorkflowSession";

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function useVersionActions() {
  const ensureSaved = useEnsureSaved();
  const qc = useQueryClient();

  const showCurrent = useCallback((wf: Workflow) => {
    const ui = useUiStore.getState();
    ui.setViewing(null);
    useGraphStore.getState().load(parseGraph(wf.graph));
    ui.setWorkflow(refOf(wf));
    ui.setSaving("saved", 0);
    qc.setQueryData(keys.workflow(wf.id), wf);
  }, [qc]);

  const back = useCallback(async () => {
    const ui = useUiStore.getState();
    if (!ui.workflow) return;
    try {
      showCurrent(await apiFetch<Workflow>(`/api/workflows/${ui.workflow.id}/`));
    } catch (err) {
      ui.showToast(`Could not load the current version: ${message(err)}`, "error");
    }
  }, [showCurrent]);

  const open = useCallback(async (number: number) => {
    const ui = useUiStore.getState();
    if (!ui.workflow) return;
    try {
      if (ui.viewing === null) await ensureSaved(); // keep the edits in progress as a version
      const latest = useUiStore.getState().workflow?.version;
      if (number === latest) return void (await back());
      const v = await fetchVersion(ui.workflow.id, number);
      useUiStore.getState().setViewing(number);
      useGraphStore.getState().load(parseGraph(v.graph));
    } catch (err) {
      ui.showToast(`Could not open version ${number}: ${message(err)}`, "error");
    }
  }, [ensureSaved, back]);

  const restore = useCallback(async (number: number) => {
    const ui = useUiStore.getState();
    if (!ui.workflow) return;
    try {
      const v = await fetchVersion(ui.workflow.id, number);
      const wf = await updateWorkflow({ id: ui.workflow.id, graph: v.graph, message: `Restored version ${number}` });
      showCurrent(wf);
      void qc.invalidateQueries({ queryKey: keys.versions(wf.id) });
      ui.showToast(`Version ${number} restored as version ${wf.latest_version}.`, "success");
    } catch (err) {
      ui.showToast(`Could not restore version ${number}: ${message(err)}`, "error");
    }
  }, [qc, showCurrent]);

  return { open, back, restore };
}
