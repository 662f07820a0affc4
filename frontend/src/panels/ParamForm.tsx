/**
 * The parameter form of one node, generated from its JSON Schema, with client-side checks and the
 * server's validation messages pinned to each field; column pickers list upstream columns.
 */
import { useMemo } from "react";
import { useShallow } from "zustand/react/shallow";
import { edgeToSpec } from "../graph/convert";
import { checkValue, effectiveValue, fieldsOf, upstreamColumns } from "../graph/params";
import type { ComponentSpec, GraphProblem, Params } from "../graph/types";
import { useGraphStore } from "../store/graphStore";
import { useValidationStore } from "../store/validationStore";
import { ParamField } from "./ParamField";

interface Props {
  nodeId: string;
  spec: ComponentSpec;
  params: Params;
  problems: GraphProblem[];
}

export function ParamForm({ nodeId, spec, params, problems }: Props) {
  const fields = useMemo(() => fieldsOf(spec.params_schema), [spec]);
  const incoming = useGraphStore(useShallow((s) => s.edges.filter((e) => e.target === nodeId)));
  const schemas = useValidationStore((s) => s.schemas);
  const setParam = useGraphStore((s) => s.setParam);
  const clearProblems = useValidationStore((s) => s.clearParam);

  if (!fields.length) return <p className="muted">This component has no parameters.</p>;
  const edges = incoming.map(edgeToSpec);

  return (
    <form className="param-form" onSubmit={(e) => e.preventDefault()}>
      {fields.map((f) => {
        const value = effectiveValue(f, params);
        const local = checkValue(f, f.name in params ? params[f.name] : undefined);
        const server = problems.filter((p) => p.param === f.name).map((p) => p.message);
        // The server's words when it has spoken about this value; the instant local check until then.
        const messages = server.length ? server : local ? [local] : [];
        const columns = f.column ? upstreamColumns(nodeId, f.column, edges, schemas) : null;
        const inputId = `param-${nodeId}-${f.name}`;
        const isSet = f.name in params;
        return (
          <div key={f.name} className={`field${messages.length ? " invalid" : ""}`} data-param={f.name}>
            <div className="field-head">
              <label htmlFor={inputId}>
                {f.title}
                {f.required && !f.hasDefault && <span className="req" title="Required">*</span>}
              </label>
              {isSet && f.hasDefault && (
                <button type="button" className="reset" title={`Back to the default (${JSON.stringify(f.default)})`}
                  onClick={() => { setParam(nodeId, f.name, undefined); clearProblems(nodeId, f.name); }}>
                  reset
                </button>
              )}
            </div>
            <ParamField field={f} value={value} columns={columns} inputId={inputId}
              onChange={(v) => { setParam(nodeId, f.name, v); clearProblems(nodeId, f.name); }} />
            {f.description && <p className="hint">{f.description}{bounds(f.min, f.max, f.exclusiveMin, f.exclusiveMax)}</p>}
            {!f.description && (f.min !== undefined || f.max !== undefined) && <p className="hint">{bounds(f.min, f.max, f.exclusiveMin, f.exclusiveMax)}</p>}
            {messages.map((m) => <p key={m} className="field-error" role="alert">{m}</p>)}
          </div>
        );
      })}
    </form>
  );
}

function bounds(min?: number, max?: number, exMin?: boolean, exMax?: boolean): string {
  if (min === undefined && max === undefined) return "";
  const lo = min === undefined ? "" : `${min} ${exMin ? "<" : "≤"} `;
  const hi = max === undefined ? "" : ` ${exMax ? "<" : "≤"} ${max}`;
  return ` (${lo}value${hi})`;
}
