/**
 * The workflow behind the canvas: opened from `/w/<id>`, autosaved (debounced PATCH of the graph)
 * after edits, and created on first need (`useEnsureSaved`) when the canvas started empty.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { useCreateWorkflow } from "../api/queries/use-create-workflow";
import { useGetWorkflow } from "../api/queries/use-get-workflow";
import { useUpdateWorkflow } from "../api/queries/use-update-workflow";
import { parseGraph } from "../graph/convert";
import { useGraphStore } from "../store/graphStore";
import { useUiStore } from "../store/uiStore";

const AUTOSAVE_MS = 1500;

export function workflowIdFromPath(path: string): number | null {
  const m = /\/w\/(\d+)\/?$/.exec(path);
  return m ? Number(m[1]) : null;
}

/** Save now if needed (creating the workflow on first save); resolves to the workflow id. */
export function useEnsureSaved(): () => Promise<number> {
  const create = useCreateWorkflow().mutateAsync;
  const update = useUpdateWorkflow().mutateAsync;
  return useCallback(async () => {
    const ui = useUiStore.getState();
    const { revision, document } = useGraphStore.getState();
    if (ui.workflow && ui.savedRevision >= revision) return ui.workflow.id;
    ui.setSaving("saving");
    try {
      const wf = ui.workflow
        ? await update({ id: ui.workflow.id, graph: document() })
        : await create({ name: "Untitled workflow", graph: document() });
      if (!ui.workflow) window.history.replaceState(null, "", `/w/${wf.id}`);
      ui.setWorkflow({ id: wf.id, name: wf.name, version: wf.version });
      useUiStore.getState().setSaving("saved", revision);
      return wf.id;
    } catch (err) {
      useUiStore.getState().setSaving("error");
      throw err;
    }
  }, [create, update]);
}

export function useWorkflowSession(): void {
  // The path is read once: saving a new workflow later rewrites it to /w/<id>, which must not
  // reload the graph (that would drop the undo history and the selection).
  const [id] = useState(() => workflowIdFromPath(window.location.pathname));
  const query = useGetWorkflow(id);
  const loaded = useRef<number | null>(null);
  const ensureSaved = useEnsureSaved();
  const saveRef = useRef(ensureSaved);
  saveRef.current = ensureSaved;

  useEffect(() => {
    const wf = query.data;
    if (!wf || loaded.current === wf.id) return;
    loaded.current = wf.id;
    useGraphStore.getState().load(parseGraph(wf.graph));
    useUiStore.getState().setWorkflow({ id: wf.id, name: wf.name, version: wf.version });
    useUiStore.getState().setSaving("saved", 0);
  }, [query.data]);

  // Autosave: only an already-saved workflow (a new one is created on first run or save).
  const revision = useGraphStore((s) => s.revision);
  const workflow = useUiStore((s) => s.workflow);
  useEffect(() => {
    if (!workflow || revision <= useUiStore.getState().savedRevision) return;
    const t = setTimeout(() => void saveRef.current().catch(() => undefined), AUTOSAVE_MS);
    return () => clearTimeout(t);
  }, [revision, workflow]);
}
