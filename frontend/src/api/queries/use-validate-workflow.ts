/** `POST /api/workflows/<id>/validate/`: problems pinned to nodes, and table schemas for column pickers. */
import { useMutation } from "@tanstack/react-query";
import { apiFetch } from "../client";
import type { ValidationResult } from "../types";

export function useValidateWorkflow() {
  return useMutation({
    mutationFn: (id: number) => apiFetch<ValidationResult>(`/api/workflows/${id}/validate/`, { method: "POST" }),
  });
}
