/** `PATCH /api/workflows/<id>/`: rename, or save a graph (a new version when it changed). */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "../client";
import type { Workflow, WorkflowUpdate } from "../types";
import { keys } from "./keys";

export const updateWorkflow = ({ id, ...input }: WorkflowUpdate & { id: number }): Promise<Workflow> =>
  apiFetch<Workflow>(`/api/workflows/${id}/`, { method: "PATCH", body: input });

export function useUpdateWorkflow() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: updateWorkflow,
    onSuccess: (wf) => {
      qc.setQueryData(keys.workflow(wf.id), wf);
      void qc.invalidateQueries({ queryKey: keys.workflows, exact: true });
      void qc.invalidateQueries({ queryKey: keys.versions(wf.id) });
    },
  });
}
