/** Server validation results: problems pinned to nodes/params/edges and upstream table schemas. */
import { create } from "zustand";
import type { GraphProblem, TableSchemas } from "../graph/types";

interface ValidationState {
  problems: GraphProblem[];
  byNode: Record<string, GraphProblem[]>;
  schemas: TableSchemas | null;
  setResult: (problems: GraphProblem[], schemas: TableSchemas | null) => void;
  clear: () => void;
  /** Forget the problems of one param once the user edits it (they described the old value). */
  clearParam: (node: string, param: string) => void;
}

const NONE: GraphProblem[] = [];

export function groupByNode(problems: GraphProblem[]): Record<string, GraphProblem[]> {
  const out: Record<string, GraphProblem[]> = {};
  for (const p of problems) if (p.node) (out[p.node] ??= []).push(p);
  return out;
}

export const useValidationStore = create<ValidationState>()((set) => ({
  problems: NONE,
  byNode: {},
  schemas: null,
  setResult: (problems, schemas) => set({ problems, byNode: groupByNode(problems), schemas }),
  clear: () => set({ problems: NONE, byNode: {}, schemas: null }),
  clearParam: (node, param) => set((s) => {
    if (!s.byNode[node]?.some((p) => p.param === param)) return s;
    const problems = s.problems.filter((p) => !(p.node === node && p.param === param));
    return { problems, byNode: groupByNode(problems) };
  }),
}));

/** Problems of one node (a stable empty list when there are none, so selectors do not re-render). */
export const selectNodeProblems = (id: string) => (s: ValidationState): GraphProblem[] => s.byNode[id] ?? NONE;
