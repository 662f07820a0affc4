/** One parameter's widget, chosen from its schema: number with bounds, enum, boolean, column picker, text, list. */
import { useEffect, useRef, useState } from "react";
import { parseScalar, type FieldModel } from "../graph/params";
import type { ColumnSchema } from "../graph/types";

export interface FieldProps {
  field: FieldModel;
  value: unknown;
  /** undefined = back to the default (the key is removed from params). */
  onChange: (value: unknown) => void;
  columns: ColumnSchema[] | null;
  inputId: string;
}

/** A text input that keeps what is typed and reports parsed values (so "0." or "-" can be typed). */
function DraftInput({ text, parse, inputId, placeholder, type = "text", extra }: {
  text: string; parse: (t: string) => void; inputId: string; placeholder?: string; type?: string;
  extra?: Record<string, number | string | undefined>;
}) {
  const [draft, setDraft] = useState(text);
  const ref = useRef<HTMLInputElement>(null);
  // Follow outside changes (undo, another node) unless the user is typing here.
  useEffect(() => {
    if (document.activeElement !== ref.current) setDraft(text);
  }, [text]);
  return (
    <input
      ref={ref} id={inputId} type={type} value={draft} placeholder={placeholder} {...extra}
      onChange={(e) => { setDraft(e.target.value); parse(e.target.value); }}
      onBlur={() => setDraft(text)}
    />
  );
}

const show = (v: unknown): string => (v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v));

const scalarHint = (accepts: string[] = []): string =>
  accepts.map((a) => (a === "array" ? "[list]" : a === "integer" ? "whole number" : a === "string" ? "text" : a)).join(" or ");

function emptyValue(field: FieldModel): unknown {
  return field.nullable && field.default !== null ? null : undefined;
}

function NumberField({ field, value, onChange, inputId }: FieldProps) {
  const step = field.kind === "integer" ? 1 : "any";
  return (
    <DraftInput
      inputId={inputId} type="number" text={show(value)}
      placeholder={field.nullable ? "empty = none" : undefined}
      extra={{ min: field.min, max: field.max, step }}
      parse={(t) => {
        if (t.trim() === "") return onChange(emptyValue(field));
        const n = Number(t);
        if (!Number.isNaN(n)) onChange(n);
      }}
    />
  );
}

function ColumnField({ field, value, onChange, columns, inputId }: FieldProps) {
  if (!columns) {
    return (
      <DraftInput inputId={inputId} text={show(value)} placeholder="Column name"
        parse={(t) => onChange(t === "" ? emptyValue(field) : t)} />
    );
  }
  const current = typeof value === "string" ? value : "";
  const missing = current && !columns.some((c) => c.name === current);
  return (
    <select id={inputId} value={current} onChange={(e) => onChange(e.target.value === "" ? emptyValue(field) : e.target.value)}>
      <option value="">{field.nullable || !field.required ? "— none —" : "— pick a column —"}</option>
      {missing && <option value={current}>{current} (not in the input)</option>}
      {columns.map((c) => <option key={c.name} value={c.name}>{c.name} · {c.kind}</option>)}
    </select>
  );
}

function ColumnsField({ value, onChange, columns, inputId }: FieldProps) {
  const chosen = Array.isArray(value) ? (value as string[]) : [];
  if (!columns) {
    return (
      <DraftInput inputId={inputId} text={chosen.join(", ")} placeholder="Comma-separated; empty = default"
        parse={(t) => onChange(t.split(",").map((s) => s.trim()).filter(Boolean))} />
    );
  }
  const toggle = (name: string) =>
    onChange(chosen.includes(name) ? chosen.filter((c) => c !== name) : columns.map((c) => c.name).filter((c) => c === name || chosen.includes(c)));
  return (
    <div className="column-list" id={inputId} role="group">
      {columns.map((c) => (
        <label key={c.name} className="column-chip">
          <input type="checkbox" checked={chosen.includes(c.name)} onChange={() => toggle(c.name)} />
          {c.name} <span className="muted">{c.kind}</span>
        </label>
      ))}
      {columns.length === 0 && <span className="muted">No matching columns in the input.</span>}
    </div>
  );
}

export function ParamField(props: FieldProps) {
  const { field, value, onChange, inputId } = props;
  switch (field.kind) {
    case "integer":
    case "number":
      return <NumberField {...props} />;
    case "boolean":
      return (
        <label className="switch">
          <input id={inputId} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
          <span>{value === true ? "On" : value === null ? "None" : "Off"}</span>
        </label>
      );
    case "enum":
      return (
        <select id={inputId} value={JSON.stringify(value ?? null)} onChange={(e) => onChange(JSON.parse(e.target.value))}>
          {field.nullable && <option value="null">— none —</option>}
          {(field.options ?? []).map((o) => <option key={JSON.stringify(o)} value={JSON.stringify(o)}>{String(o)}</option>)}
        </select>
      );
    case "column":
      return <ColumnField {...props} />;
    case "columns":
      return <ColumnsField {...props} />;
    case "list":
      return (
        <DraftInput inputId={inputId} text={Array.isArray(value) ? value.join(", ") : ""} placeholder="Comma-separated"
          parse={(t) => onChange(t.split(",").map((s) => s.trim()).filter(Boolean).map((s) => (field.itemType === "string" ? s : Number(s))))} />
      );
    case "scalar":
      return <DraftInput inputId={inputId} text={show(value)} placeholder={scalarHint(field.accepts)} parse={(t) => onChange(parseScalar(t, field.accepts))} />;
    case "string":
      return <DraftInput inputId={inputId} text={show(value)} parse={(t) => onChange(t === "" && field.nullable ? null : t)} />;
    default:
      return (
        <DraftInput inputId={inputId} text={show(value)} placeholder="JSON"
          parse={(t) => { try { onChange(t.trim() === "" ? emptyValue(field) : JSON.parse(t)); } catch { /* keep typing */ } }} />
      );
  }
}
