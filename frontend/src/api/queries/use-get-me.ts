/** `GET /api/me/`: the signed-in user (shown in the header). */
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "../client";
import type { Me } from "../types";
import { keys } from "./keys";

export function useGetMe() {
  return useQuery({ queryKey: keys.me, queryFn: ({ signal }) => apiFetch<Me>("/api/me/", { signal }), staleTime: Infinity });
}
