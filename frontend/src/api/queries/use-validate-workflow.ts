/** `POST /api/workflows/<id>/validate/`: problems pinned to nodes and table schemas for column pickers. */
import { useMutation } from "@tanstack/react-query";
import type { GraphSpec } from "../../graph/types";
import { apiFetch } from "../client";
import type { ValidationResult } from "../types";

export const validateGraph = (id: number, graph?: GraphSpec, signal?: AbortSignal): Promise<ValidationResult> =>
  apiFetch<ValidationResult>(`/api/workflows/${id}/validate/`, { body: graph ? { graph } : {}, signal });

export function useValidateWorkflow() {
  return useMutation({ mutationFn: ({ id, graph }: { id: number; graph?: GraphSpec }) => validateGraph(id, graph) });
}
