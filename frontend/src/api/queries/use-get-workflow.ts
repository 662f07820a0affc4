/** `GET /api/workflows/<id>/`: one workflow with its current graph document. */
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "../client";
import type { Workflow } from "../types";
import { keys } from "./keys";

export function useGetWorkflow(id: number | null) {
  return useQuery({
    queryKey: keys.workflow(id ?? -1),
    queryFn: ({ signal }) => apiFetch<Workflow>(`/api/workflows/${id}/`, { signal }),
    enabled: id !== null,
    staleTime: Infinity, // the canvas owns it once loaded; saves write the answer back
  });
}
