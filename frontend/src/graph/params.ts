/**
 * The parameter form's model, read from a component's JSON Schema (as pydantic writes it): one
 * field per property with its widget kind, bounds, enum options, nullability and column picker;
 * client-side checks that mirror the server's messages; column choices from upstream schemas.
 */
import type { ColumnPicker, ColumnSchema, EdgeSpec, JsonSchema, Params, TableSchemas } from "./types";

export type FieldKind =
  | "number" | "integer" | "boolean" | "enum" | "string" | "column" | "columns" | "list" | "scalar" | "json";

export interface FieldModel {
  name: string;
  title: string;
  description: string;
  kind: FieldKind;
  nullable: boolean;
  required: boolean;
  hasDefault: boolean;
  default: unknown;
  min?: number;
  max?: number;
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
  options?: unknown[];
  column?: ColumnPicker;
  /** For lists: the JSON type of the items ("string", "number", "integer"). */
  itemType?: string;
  /** For "scalar" fields: the JSON types the value may take ("string", "number", "boolean", "array"...). */
  accepts?: string[];
}

const NUMERIC_KINDS = new Set(["int", "float", "bool"]);

function resolve(root: JsonSchema, s: JsonSchema): JsonSchema {
  if (!s.$ref) return s;
  const name = s.$ref.split("/").pop() ?? "";
  const target = root.$defs?.[name];
  return target ? { ...target, ...s, $ref: undefined } : s;
}

const typeOf = (s: JsonSchema): string | undefined =>
  Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;

const isPrimitive = (s: JsonSchema): boolean => ["string", "number", "integer", "boolean"].includes(typeOf(s) ?? "");

function kindOf(s: JsonSchema, variants: JsonSchema[]): FieldKind {
  if (variants.length > 1) {
    const simple = (v: JsonSchema) => isPrimitive(v) || (typeOf(v) === "array" && (v.items?.anyOf ?? [v.items ?? {}]).every(isPrimitive));
    return variants.every(simple) ? "scalar" : "json";
  }
  if (s["x-column"]) return s["x-column"].multiple || typeOf(s) === "array" ? "columns" : "column";
  if (s.enum) return "enum";
  if (s.const !== undefined) return "enum";
  switch (typeOf(s)) {
    case "integer": return "integer";
    case "number": return "number";
    case "boolean": return "boolean";
    case "string": return "string";
    case "array": return ["string", "number", "integer"].includes(typeOf(s.items ?? {}) ?? "") ? "list" : "json";
    default: return "json";
  }
}

/** One field per property of the params schema, in schema order. */
export function fieldsOf(schema: JsonSchema): FieldModel[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, raw]) => {
    const prop = resolve(schema, raw);
    const branches = (prop.anyOf ?? prop.oneOf ?? []).map((b) => resolve(schema, b));
    const variants = branches.filter((b) => typeOf(b) !== "null" && b.type !== "null");
    const nullable = branches.some((b) => b.type === "null") ||
      (Array.isArray(prop.type) && prop.type.includes("null"));
    const base: JsonSchema = variants.length === 1 ? { ...variants[0], ...prop, anyOf: undefined } : prop;
    const field: FieldModel = {
      name,
      title: prop.title ?? name,
      description: prop.description ?? "",
      kind: kindOf(base, variants),
      nullable,
      required: required.has(name),
      hasDefault: "default" in prop,
      default: prop.default,
    };
    if (base.enum) field.options = base.enum;
    else if (base.const !== undefined) field.options = [base.const];
    if (base["x-column"]) field.column = base["x-column"];
    if (base.items) field.itemType = typeOf(resolve(schema, base.items));
    if (field.kind === "scalar") field.accepts = [...new Set(variants.map((v) => typeOf(v) ?? "string"))];
    if (base.exclusiveMinimum !== undefined) Object.assign(field, { min: base.exclusiveMinimum, exclusiveMin: true });
    else if (base.minimum !== undefined) field.min = base.minimum;
    if (base.exclusiveMaximum !== undefined) Object.assign(field, { max: base.exclusiveMaximum, exclusiveMax: true });
    else if (base.maximum !== undefined) field.max = base.maximum;
    return field;
  });
}

/** The value the component will use: the node's own, else the schema default. */
export function effectiveValue(field: FieldModel, params: Params): unknown {
  return field.name in params ? params[field.name] : field.default;
}

/** A message when `value` breaks the field's schema, or null. Mirrors the server's wording. */
export function checkValue(field: FieldModel, value: unknown): string | null {
  if (value === undefined) return field.required && !field.hasDefault ? "required: set a value" : null;
  if (value === null) return field.nullable ? null : "must not be empty";
  if (field.kind === "integer" || field.kind === "number") {
    if (typeof value !== "number" || Number.isNaN(value)) return "must be a number";
    if (field.kind === "integer" && !Number.isInteger(value)) return "must be a whole number";
    if (field.min !== undefined && (field.exclusiveMin ? value <= field.min : value < field.min)) {
      return `must be ${field.exclusiveMin ? ">" : "≥"} ${field.min} (got ${value})`;
    }
    if (field.max !== undefined && (field.exclusiveMax ? value >= field.max : value > field.max)) {
      return `must be ${field.exclusiveMax ? "<" : "≤"} ${field.max} (got ${value})`;
    }
  }
  if (field.kind === "enum" && field.options && !field.options.includes(value)) {
    return `must be one of ${field.options.map((o) => JSON.stringify(o)).join(", ")}`;
  }
  if ((field.kind === "column" || field.kind === "string") && typeof value === "string" && field.required && !value) {
    return "required: pick a value";
  }
  return null;
}

/** Client-side problems of a node's params, by param name. */
export function checkParams(fields: FieldModel[], params: Params): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const msg = checkValue(f, f.name in params ? params[f.name] : undefined);
    if (msg) out[f.name] = msg;
  }
  return out;
}

/**
 * Columns offered by a column picker: the schema of the table that feeds `port` of `node`, as
 * reported by validation (output schemas per node and port). Null when not known before a run.
 */
export function upstreamColumns(
  node: string, picker: ColumnPicker, edges: readonly EdgeSpec[], schemas: TableSchemas | null,
): ColumnSchema[] | null {
  if (!schemas) return null;
  const edge = edges.find((e) => e.target === node && e.target_port === picker.port);
  if (!edge) return null;
  const cols = schemas[edge.source]?.[edge.source_port];
  if (!cols) return null;
  return picker.numeric ? cols.filter((c) => NUMERIC_KINDS.has(c.kind)) : cols;
}

/**
 * Text typed into a "scalar" field (a union such as str | int | bool | list | None) back to a JSON
 * value, preferring numbers, then booleans, then lists `[..]`, then text — among the types accepted.
 */
export function parseScalar(text: string, accepts: string[] = ["string", "number"]): unknown {
  const t = text.trim();
  if (t === "") return null;
  const ok = (type: string) => accepts.includes(type);
  if (/^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) {
    const n = Number(t);
    if (ok("number") || (ok("integer") && Number.isInteger(n))) return n;
  }
  if (ok("boolean") && (t === "true" || t === "false")) return t === "true";
  if (ok("array") && t.startsWith("[")) {
    try {
      const list: unknown = JSON.parse(t);
      if (Array.isArray(list)) return list;
    } catch {
      // not a list yet (still typing): fall through to text
    }
  }
  return ok("string") ? text : t;
}
