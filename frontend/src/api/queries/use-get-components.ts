/** `GET /api/components/`: the catalogue, fetched once per session (it changes only on deploy). */
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "../client";
import type { Catalogue } from "../types";
import { keys } from "./keys";

export const fetchComponents = (signal?: AbortSignal): Promise<Catalogue> =>
  apiFetch<Catalogue>("/api/components/", { signal });

export function useGetComponents() {
  return useQuery({ queryKey: keys.components, queryFn: ({ signal }) => fetchComponents(signal), staleTime: Infinity });
}
