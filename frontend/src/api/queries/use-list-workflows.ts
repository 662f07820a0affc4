/** `GET /api/workflows/`: the user's workflows (first page; the server paginates by 50). */
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "../client";
import type { Workflow } from "../types";
import { keys } from "./keys";

type Page<T> = { results: T[]; count: number } | T[];

export function useListWorkflows() {
  return useQuery({
    queryKey: keys.workflows,
    queryFn: async ({ signal }) => {
      const page = await apiFetch<Page<Workflow>>("/api/workflows/", { signal });
      return Array.isArray(page) ? page : page.results;
    },
  });
}
