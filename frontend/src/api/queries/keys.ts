/** Query keys shared by the hooks, so mutations invalidate exactly what they change. */
export const keys = {
  me: ["me"] as const,
  components: ["components"] as const,
  samples: ["samples"] as const,
  workflows: ["workflows"] as const,
  workflow: (id: number) => ["workflows", id] as const,
  versions: (id: number) => ["workflows", id, "versions"] as const,
  runs: (workflowId: number) => ["workflows", workflowId, "runs"] as const,
  run: (id: number) => ["runs", id] as const,
  nodeLogs: (run: number, node: string) => ["runs", run, "logs", node] as const,
  preview: (run: number, node: string, port: string, rows: number) => ["runs", run, "preview", node, port, rows] as const,
  exportCode: (id: number, version: number) => ["workflows", id, "export", version] as const,
};
