/**
 * The workflow behind the canvas: opened from `/w/<id>/`, autosaved after edits (a debounced PATCH
 * of the graph: the server keeps a version per change), created on first need when there is none.
 * A save the server refuses (a broken graph) pins its problems to the nodes and says so.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError } from "../api/client";
import { useCreateWorkflow } from "../api/queries/use-create-workflow";
import { useGetWorkflow } from "../api/queries/use-get-workflow";
import { useUpdateWorkflow } from "../api/queries/use-update-workflow";
import type { Workflow } from "../api/types";
import { parseGraph } from "../graph/convert";
import { useCatalogueStore } from "../store/catalogueStore";
import { useGraphStore } from "../store/graphStore";
import { useUiStore } from "../store/uiStore";
import { useValidationStore } from "../store/validationStore";

export const AUTOSAVE_MS = 1200;

export function workflowIdFromPath(path: string): number | null {
  const m = /^\/w\/(\d+)\/?$/.exec(path);
  return m ? Number(m[1]) : null;
}

export const refOf = (wf: Workflow) => ({ id: wf.id, name: wf.name, version: wf.latest_version ?? 0 });

/** Save now if needed (creating the workflow on first save); resolves to the workflow id. */
export function useEnsureSaved(): () => Promise<number> {
  const create = useCreateWorkflow().mutateAsync;
  const update = useUpdateWorkflow().mutateAsync;
  return useCallback(async () => {
    const ui = useUiStore.getState();
    const { revision, document } = useGraphStore.getState();
    if (ui.workflow && (ui.savedRevision >= revision || ui.viewing !== null)) return ui.workflow.id;
    ui.setSaving("saving");
    try {
      const wf = ui.workflow
        ? await update({ id: ui.workflow.id, graph: document() })
        : await create({ name: "Untitled workflow", graph: document() });
      if (!ui.workflow) window.history.replaceState(null, "", `/w/${wf.id}/`);
      useUiStore.getState().setWorkflow(refOf(wf));
      useUiStore.getState().setSaving("saved", revision);
      return wf.id;
    } catch (err) {
      let reason = err instanceof Error ? err.message : String(err);
      if (err instanceof ApiError && err.body.errors?.length) {
        useValidationStore.getState().setResult(err.body.errors, useValidationStore.getState().schemas);
        const n = err.body.errors.length;
        reason = `Not saved: ${n} problem${n === 1 ? "" : "s"} to fix on the marked nodes`;
      }
      useUiStore.getState().setSaving("error", undefined, reason);
      throw err;
    }
  }, [create, update]);
}

/** Open `/w/<id>/`; autosave edits. Returns the load state for the page. */
export function useWorkflowSession(): { id: number | null; error: Error | null; loading: boolean } {
  // The path is read once: saving a new workflow later rewrites it, which must not reload the graph
  // (that would drop the undo history and the selection).
  const [id] = useState(() => workflowIdFromPath(window.location.pathname));
  const query = useGetWorkflow(id);
  const loaded = useRef<number | null>(null);
  const ensureSaved = useEnsureSaved();
  const saveRef = useRef(ensureSaved);
  saveRef.current = ensureSaved;

  // Load once the catalogue is in too: nodes then get their size and handles up front (graph/size.ts).
  const catalogueReady = useCatalogueStore((s) => s.index !== null);
  useEffect(() => {
    const wf = query.data;
    if (!wf || !catalogueReady || loaded.current === wf.id) return;
    loaded.current = wf.id;
    useGraphStore.getState().load(parseGraph(wf.graph));
    useUiStore.getState().setWorkflow(refOf(wf));
    useUiStore.getState().setSaving("saved", 0);
    document.title = `${wf.name} · Designer`;
  }, [query.data, catalogueReady]);

  const revision = useGraphStore((s) => s.revision);
  const workflow = useUiStore((s) => s.workflow);
  const viewing = useUiStore((s) => s.viewing);
  useEffect(() => {
    if (!workflow || viewing !== null || revision <= useUiStore.getState().savedRevision) return;
    const t = setTimeout(() => void saveRef.current().catch(() => undefined), AUTOSAVE_MS);
    return () => clearTimeout(t);
  }, [revision, workflow, viewing]);

  // Leaving with unsaved edits: save them on the way out (the browser may still ask).
  useEffect(() => {
    const onLeave = (e: BeforeUnloadEvent) => {
      const ui = useUiStore.getState();
      if (ui.workflow && ui.viewing === null && useGraphStore.getState().revision > ui.savedRevision) {
        void saveRef.current().catch(() => undefined);
        e.preventDefault();
      }
    };
    window.addEventListener("beforeunload", onLeave);
    return () => window.removeEventListener("beforeunload", onLeave);
  }, []);

  return { id, error: query.error, loading: query.isPending && id !== null };
}
