/**
 * Types of the graph document (ARCHITECTURE.md §2, a contract) and of the component catalogue
 * served by `GET /api/components/`. Pure data; no React, no React Flow.
 */

export const SCHEMA_VERSION = 1;

export interface Position {
  x: number;
  y: number;
}

export type ParamValue = unknown;
export type Params = Record<string, ParamValue>;

export interface NodeSpec {
  id: string;
  component: string;
  version: number;
  params: Params;
  label?: string | null;
  position: Position;
}

export interface EdgeSpec {
  source: string;
  source_port: string;
  target: string;
  target_port: string;
}

export interface GraphSpec {
  schema_version: number;
  nodes: NodeSpec[];
  edges: EdgeSpec[];
}

// ---- catalogue ---------------------------------------------------------------------------

export interface PortSpec {
  name: string;
  type: string;
  many: boolean;
  optional: boolean;
  description: string;
}

export interface ColumnPicker {
  port: string;
  multiple: boolean;
  numeric: boolean;
}

/** A JSON Schema fragment as pydantic writes it (only the keywords the form reads are typed). */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  $defs?: Record<string, JsonSchema>;
  "x-column"?: ColumnPicker;
}

export interface ComponentSpec {
  id: string;
  version: number;
  title: string;
  category: string;
  description: string;
  doc?: string;
  tags: string[];
  resources: string;
  deterministic?: boolean;
  cacheable?: boolean;
  deprecated?: boolean;
  inputs: PortSpec[];
  outputs: PortSpec[];
  params_schema: JsonSchema;
  column_params?: Record<string, ColumnPicker>;
}

export interface TypeInfo {
  name: string;
  description: string;
  colour: string;
}

export interface Catalogue {
  types: TypeInfo[];
  /** out type -> the input types it may feed. */
  connectable: Record<string, string[]>;
  categories: string[];
  components: ComponentSpec[];
}

// ---- server results the canvas shows -----------------------------------------------------

export interface GraphProblem {
  code: string;
  message: string;
  node?: string | null;
  port?: string | null;
  param?: string | null;
  edge?: number | null;
}

export interface ColumnSchema {
  name: string;
  kind: string;
}

/** Output table schema per node and port (null = not known before a run). */
export type TableSchemas = Record<string, Record<string, ColumnSchema[] | null>>;
