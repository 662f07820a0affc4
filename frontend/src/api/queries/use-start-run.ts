/** `POST /api/workflows/<id>/runs/` (whole graph, from a node, to a node; cache on/off) and
 * `POST /api/runs/<id>/retry/` (same version and options, cache on: only what failed reruns). */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "../client";
import type { Run, RunOptions } from "../types";
import { keys } from "./keys";

export function useStartRun() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...options }: RunOptions & { id: number }) =>
      apiFetch<Run>(`/api/workflows/${id}/runs/`, { body: options }),
    onSuccess: (run) => void qc.invalidateQueries({ queryKey: keys.runs(run.workflow) }),
  });
}

export function useRetryRun() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (runId: number) => apiFetch<Run>(`/api/runs/${runId}/retry/`, { method: "POST" }),
    onSuccess: (run) => void qc.invalidateQueries({ queryKey: keys.runs(run.workflow) }),
  });
}
