/** `POST /api/workflows/import/`: a new workflow from Python SDK code (parsed, never executed). */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "../client";
import type { Workflow } from "../types";
import { keys } from "./keys";

export function useImportWorkflow() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; source: string }) => apiFetch<Workflow>("/api/workflows/import/", { body: input }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.workflows, exact: true }),
  });
}
