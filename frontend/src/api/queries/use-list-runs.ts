/** `GET /api/workflows/<id>/runs/`: the workflow's run history, newest first; `GET /api/runs/<id>/`. */
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "../client";
import type { Page, Run, RunSummary } from "../types";
import { keys } from "./keys";

export const fetchRun = (id: number): Promise<Run> => apiFetch<Run>(`/api/runs/${id}/`);

export const fetchRuns = (workflowId: number, pageSize = 50, signal?: AbortSignal): Promise<Page<RunSummary>> =>
  apiFetch<Page<RunSummary>>(`/api/workflows/${workflowId}/runs/?page_size=${pageSize}`, { signal });

export function useListRuns(workflowId: number | null, enabled = true) {
  return useQuery({
    queryKey: keys.runs(workflowId ?? -1),
    queryFn: ({ signal }) => fetchRuns(workflowId as number, 50, signal),
    enabled: enabled && workflowId !== null,
  });
}
