/**
 * Validation while editing: a short while after each change (and on opening a workflow or a
 * version) the graph in the editor is sent to `POST /api/workflows/<id>/validate/`. Problems are
 * pinned to nodes and fields, and the upstream table schemas fill the column pickers. An answer
 * for an older graph than the latest request is dropped.
 */
import { useEffect, useRef } from "react";
import { validateGraph } from "../api/queries/use-validate-workflow";
import type { TableSchemas } from "../graph/types";
import { useGraphStore } from "../store/graphStore";
import { useUiStore } from "../store/uiStore";
import { useValidationStore } from "../store/validationStore";

export const VALIDATE_DEBOUNCE_MS = 350;

export function useAutoValidate(): void {
  const workflowId = useUiStore((s) => s.workflow?.id ?? null);
  const revision = useGraphStore((s) => s.revision);
  const loads = useGraphStore((s) => s.loads);
  const latest = useRef(0);

  useEffect(() => {
    if (workflowId === null) return;
    const ticket = ++latest.current;
    const abort = new AbortController();
    const t = setTimeout(() => {
      const graph = useGraphStore.getState().document();
      validateGraph(workflowId, graph, abort.signal).then((result) => {
        if (ticket !== latest.current) return;
        useValidationStore.getState().setResult(result.errors, result.schemas as unknown as TableSchemas);
      }, () => undefined); // offline or aborted: the next edit tries again; saves report their own errors
    }, VALIDATE_DEBOUNCE_MS);
    return () => {
      clearTimeout(t);
      abort.abort();
    };
  }, [workflowId, revision, loads]);
}
