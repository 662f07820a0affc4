/** `POST /api/workflows/<id>/runs/`: start a run (whole graph, from a node, to a node; cache on/off). */
import { useMutation } from "@tanstack/react-query";
import { apiFetch } from "../client";
import type { Run, RunOptions } from "../types";

export function useStartRun() {
  return useMutation({
    mutationFn: ({ id, ...options }: RunOptions & { id: number }) =>
      apiFetch<Run>(`/api/workflows/${id}/runs/`, { body: options }),
  });
}
