/** `POST /api/workflows/<id>/duplicate/`: copy the current graph into a new workflow. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "../client";
import type { Workflow } from "../types";
import { keys } from "./keys";

export function useDuplicateWorkflow() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, name }: { id: number; name?: string }) =>
      apiFetch<Workflow>(`/api/workflows/${id}/duplicate/`, { body: name ? { name } : {} }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.workflows, exact: true }),
  });
}
