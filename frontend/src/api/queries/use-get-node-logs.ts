/** `GET /api/runs/<id>/nodes/<node>/logs/`: a node's persisted log lines, error and traceback. */
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "../client";
import type { NodeLogs } from "../types";
import { keys } from "./keys";

export function useGetNodeLogs(runId: number | null, node: string, refreshKey: string) {
  return useQuery({
    queryKey: [...keys.nodeLogs(runId ?? -1, node), refreshKey],
    queryFn: ({ signal }) => apiFetch<NodeLogs>(`/api/runs/${runId}/nodes/${encodeURIComponent(node)}/logs/`, { signal }),
    enabled: runId !== null,
    placeholderData: (prev) => prev,
  });
}
