/** `GET /api/samples/`: the bundled sample workflows (the templates gallery). */
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "../client";
import type { Sample } from "../types";
import { keys } from "./keys";

export function useListSamples() {
  return useQuery({ queryKey: keys.samples, queryFn: ({ signal }) => apiFetch<Sample[]>("/api/samples/", { signal }), staleTime: Infinity });
}
