/** `POST /api/runs/<id>/cancel/`: queued nodes never start, running ones stop at their next check. */
import { useMutation } from "@tanstack/react-query";
import { apiFetch } from "../client";
import type { Run } from "../types";

export function useCancelRun() {
  return useMutation({
    mutationFn: (runId: number) => apiFetch<Run>(`/api/runs/${runId}/cancel/`, { method: "POST" }),
  });
}
