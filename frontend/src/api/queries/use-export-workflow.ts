/** `GET /api/workflows/<id>/export/?format=python`: the workflow as Python SDK code. */
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "../client";
import { keys } from "./keys";

/** The code from the response text, whether the server sends plain text, a JSON string or `{code}`. */
export function codeFromResponse(text: string): string {
  const t = text.trimStart();
  if (!t.startsWith("{") && !t.startsWith('"')) return text;
  try {
    const value: unknown = JSON.parse(t);
    if (typeof value === "string") return value;
    if (value && typeof value === "object" && typeof (value as { code?: unknown }).code === "string") {
      return (value as { code: string }).code;
    }
  } catch {
    // plain code that happens to start with a brace or quote
  }
  return text;
}

export function useExportWorkflow(id: number | null, version: number, enabled: boolean) {
  return useQuery({
    queryKey: keys.exportCode(id ?? -1, version),
    queryFn: async ({ signal }) =>
      codeFromResponse(await apiFetch<string>(`/api/workflows/${id}/export/?format=python`, { signal, text: true })),
    enabled: enabled && id !== null,
  });
}
