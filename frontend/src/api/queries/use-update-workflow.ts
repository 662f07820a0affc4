/** `PATCH /api/workflows/<id>/`: rename, or save a new graph version (autosave). */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "../client";
import type { Workflow, WorkflowInput } from "../types";
import { keys } from "./keys";

export function useUpdateWorkflow() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: WorkflowInput & { id: number }) =>
      apiFetch<Workflow>(`/api/workflows/${id}/`, { method: "PATCH", body: input }),
    onSuccess: (wf) => qc.setQueryData(keys.workflow(wf.id), wf),
  });
}
