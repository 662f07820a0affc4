/** `POST /api/workflows/`: a new workflow (its graph becomes version 1). */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "../client";
import type { Workflow, WorkflowCreate } from "../types";
import { keys } from "./keys";

export function useCreateWorkflow() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: WorkflowCreate) => apiFetch<Workflow>("/api/workflows/", { body: input }),
    onSuccess: (wf) => {
      qc.setQueryData(keys.workflow(wf.id), wf);
      void qc.invalidateQueries({ queryKey: keys.workflows, exact: true });
    },
  });
}
