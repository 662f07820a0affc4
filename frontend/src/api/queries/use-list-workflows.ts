/** `GET /api/workflows/`: the user's workflows, most recently updated first (first 200). */
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "../client";
import type { Page, WorkflowSummary } from "../types";
import { keys } from "./keys";

export function useListWorkflows() {
  return useQuery({
    queryKey: keys.workflows,
    queryFn: ({ signal }) => apiFetch<Page<WorkflowSummary>>("/api/workflows/?page_size=200", { signal }),
  });
}
