/**
 * Named shapes of the REST API, taken from the generated `openapi.ts` (`npm run gen:api`, from the
 * server's drf-spectacular schema; CONVENTIONS item 24), plus the few inner shapes the schema
 * leaves free-form (artifact previews). WebSocket events are in `events.ts`.
 */
import type { GraphProblem } from "../graph/types";
import type { components } from "./openapi";

type Schemas = components["schemas"];

export type { Catalogue } from "../graph/types";
export type WorkflowSummary = Schemas["WorkflowList"];
export type Workflow = Schemas["WorkflowDetail"];
export type WorkflowCreate = Schemas["WorkflowCreateInputRequest"];
export type WorkflowUpdate = Schemas["PatchedWorkflowUpdateInputRequest"];
export type VersionSummary = Schemas["VersionList"];
export type VersionDetail = Schemas["VersionDetail"];
export type ValidationResult = Schemas["ValidationReport"];
export type Sample = Schemas["Sample"];
export type Me = Schemas["Me"];
export type RunSummary = Schemas["RunList"];
export type Run = Schemas["RunDetail"];
export type NodeRun = Schemas["NodeRun"];
export type OutputRef = Schemas["OutputRef"];
export type RunStatus = Schemas["RunStatusEnum"];
export type NodeStatus = Schemas["NodeRunStatusEnum"];
export type RunOptions = Omit<Schemas["RunStartInputRequest"], "seed" | "version"> & { version?: number };
export type NodeLogs = Schemas["NodeLogs"];
export type LogLine = Schemas["LogLine"];

/** DRF's page (`?page=N&page_size=M`). */
export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

/** Per-column statistics of a table preview (designer/runs/artifacts.py `column_stats`). */
export interface ColumnStats {
  name: string;
  kind: string;
  count: number;
  nulls: number;
  mean?: number | null;
  std?: number | null;
  min?: number | string | null;
  max?: number | string | null;
  unique?: number;
  top?: { value: string; count: number }[];
}

export interface TablePreview {
  rows: number;
  columns: { name: string; kind: string }[];
  data: unknown[][];
  stats: ColumnStats[];
}

/** `GET /api/runs/<id>/nodes/<node>/outputs/<port>/`: one of table, metrics, figure or text. */
export interface ArtifactPreview {
  type: string;
  digest: string;
  size: number;
  summary: Record<string, unknown>;
  table?: TablePreview;
  metrics?: Record<string, number | null>;
  figure?: Record<string, unknown>;
  text?: string;
  truncated?: boolean;
}

/** The JSON body of an API error (designer/api/exceptions.py). */
export interface ApiErrorBody {
  detail: string;
  code: string;
  fields?: Record<string, unknown>;
  errors?: GraphProblem[];
  line?: number | null;
}
