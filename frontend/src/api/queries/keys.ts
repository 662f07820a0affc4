/** Query keys shared by the hooks, so mutations invalidate exactly what they change. */
export const keys = {
  components: ["components"] as const,
  workflows: ["workflows"] as const,
  workflow: (id: number) => ["workflows", id] as const,
  run: (id: number) => ["runs", id] as const,
  exportCode: (id: number, version: number) => ["workflows", id, "export", version] as const,
};
