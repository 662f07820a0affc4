/** `DELETE /api/workflows/<id>/`. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "../client";
import { keys } from "./keys";

export function useDeleteWorkflow() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiFetch<void>(`/api/workflows/${id}/`, { method: "DELETE" }),
    onSuccess: (_, id) => {
      qc.removeQueries({ queryKey: keys.workflow(id) });
      void qc.invalidateQueries({ queryKey: keys.workflows, exact: true });
    },
  });
}
