/**
 * Shapes of the REST API and WebSocket events (ARCHITECTURE.md §5-6). Written by hand until the
 * server's OpenAPI schema (drf-spectacular) is stable; then generated (CONVENTIONS item 24).
 */
import type { GraphProblem, GraphSpec, TableSchemas } from "../graph/types";

export type { Catalogue } from "../graph/types";

export interface Workflow {
  id: number;
  name: string;
  description: string;
  graph: GraphSpec;
  version: number;
  updated_at: string;
}

export type WorkflowInput = Partial<Pick<Workflow, "name" | "description" | "graph">>;

export interface ValidationResult {
  valid: boolean;
  errors: GraphProblem[];
  schemas: TableSchemas;
}

export type RunStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";

export type NodeStatus =
  | "pending" | "ready" | "queued" | "running" | "succeeded" | "cached" | "failed" | "skipped" | "cancelled";

export interface Progress {
  value: number;
  max: number | null;
  text?: string;
}

export interface NodeRun {
  node_id: string;
  status: NodeStatus;
  progress?: Progress | Record<string, never>;
  started_at?: string | null;
  finished_at?: string | null;
  error?: string;
  traceback?: string;
  outputs?: Record<string, unknown>;
}

export interface Run {
  id: number;
  status: RunStatus;
  nodes: NodeRun[];
  error?: string;
  created_at?: string;
  started_at?: string | null;
  finished_at?: string | null;
}

export interface RunOptions {
  from_node?: string;
  to_node?: string;
  use_cache?: boolean;
}

/** One WebSocket event: the envelope plus type-specific payload keys. */
export interface RunEvent {
  type: string;
  run: number;
  node?: string;
  seq: number;
  ts: string;
  [key: string]: unknown;
}

/** The JSON body of an API error (designer/api/exceptions.py). */
export interface ApiErrorBody {
  detail: string;
  code: string;
  fields?: Record<string, unknown>;
  errors?: GraphProblem[];
}
