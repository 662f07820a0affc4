/** `POST /api/workflows/`: a new workflow. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "../client";
import type { Workflow, WorkflowInput } from "../types";
import { keys } from "./keys";

export function useCreateWorkflow() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: WorkflowInput) => apiFetch<Workflow>("/api/workflows/", { body: input }),
    onSuccess: (wf) => {
      qc.setQueryData(keys.workflow(wf.id), wf);
      void qc.invalidateQueries({ queryKey: keys.workflows, exact: true });
    },
  });
}
