/** `GET /api/runs/<id>/nodes/<node>/outputs/<port>/`: rows and column statistics, metrics, a figure... */
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "../client";
import type { ArtifactPreview } from "../types";
import { keys } from "./keys";

export const outputUrl = (runId: number, node: string, port: string): string =>
  `/api/runs/${runId}/nodes/${encodeURIComponent(node)}/outputs/${encodeURIComponent(port)}/`;

export function useGetOutputPreview(runId: number | null, node: string, port: string | null, rows = 50) {
  return useQuery({
    queryKey: keys.preview(runId ?? -1, node, port ?? "", rows),
    queryFn: ({ signal }) => apiFetch<ArtifactPreview>(`${outputUrl(runId as number, node, port as string)}?rows=${rows}`, { signal }),
    enabled: runId !== null && port !== null,
    staleTime: Infinity, // artifacts are immutable
  });
}
