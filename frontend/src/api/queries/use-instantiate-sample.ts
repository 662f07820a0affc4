/** `POST /api/samples/<name>/instantiate/`: copy a sample into a new workflow of the user's. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "../client";
import type { Workflow } from "../types";
import { keys } from "./keys";

export function useInstantiateSample() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => apiFetch<Workflow>(`/api/samples/${encodeURIComponent(name)}/instantiate/`, { body: {} }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.workflows, exact: true }),
  });
}
