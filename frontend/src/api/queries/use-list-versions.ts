/** `GET /api/workflows/<id>/versions/` (newest first) and one version's graph. */
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "../client";
import type { Page, VersionDetail, VersionSummary } from "../types";
import { keys } from "./keys";

export const fetchVersion = (id: number, number: number): Promise<VersionDetail> =>
  apiFetch<VersionDetail>(`/api/workflows/${id}/versions/${number}/`);

export function useListVersions(id: number | null, enabled = true) {
  return useQuery({
    queryKey: keys.versions(id ?? -1),
    queryFn: ({ signal }) => apiFetch<Page<VersionSummary>>(`/api/workflows/${id}/versions/?page_size=100`, { signal }),
    enabled: enabled && id !== null,
  });
}
