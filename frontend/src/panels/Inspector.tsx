/** The right-hand panel: the selected node's label, parameters, problems, run state and documentation. */
import { useShallow } from "zustand/react/shallow";
import { formatDuration } from "../nodes/NodeStatusBar";
import { useCatalogueStore } from "../store/catalogueStore";
import { useGraphStore } from "../store/graphStore";
import { selectNodeRun, useRunStore } from "../store/runStore";
import { useUiStore } from "../store/uiStore";
import { selectNodeProblems, useValidationStore } from "../store/validationStore";
import { ParamForm } from "./ParamForm";

function NodeInspector({ id }: { id: string }) {
  const data = useGraphStore((s) => s.nodes.find((n) => n.id === id)?.data);
  const spec = useCatalogueStore((s) => (data ? s.index?.spec(data.component, data.version) : undefined));
  const colour = useCatalogueStore((s) => (spec ? s.index?.categoryColour(spec.category) : undefined));
  const problems = useValidationStore(selectNodeProblems(id));
  const run = useRunStore(selectNodeRun(id));
  const setLabel = useGraphStore((s) => s.setLabel);
  const readOnly = useUiStore((s) => s.viewing !== null);
  const setBottom = useUiStore((s) => s.setBottom);
  if (!data) return null;
  const general = problems.filter((p) => !p.param);

  return (
    <div className="inspector-body">
      <header className="insp-head" style={{ borderTopColor: colour }}>
        <span className="insp-cat" style={{ color: colour }}>{spec?.category ?? "Unknown"}</span>
        <h2>{spec?.title ?? data.component}</h2>
        <code className="insp-id">{id} · {data.component} v{data.version}</code>
      </header>
      <section className="insp-section">
        <label className="field-label" htmlFor={`label-${id}`}>Label</label>
        <input id={`label-${id}`} value={data.label ?? ""} placeholder={spec?.title} disabled={readOnly}
          onChange={(e) => setLabel(id, e.target.value)} />
      </section>
      {general.length > 0 && (
        <section className="insp-section problems">
          {general.map((p, i) => <p key={i} className="field-error" role="alert">{p.port ? <strong>{p.port}: </strong> : null}{p.message}</p>)}
        </section>
      )}
      {run && (
        <section className={`insp-section run-state status-${run.status}`}>
          <h3>Last run</h3>
          <p>
            <span className={`badge badge-${run.status}`}>{run.status}</span>
            {run.startedAt && run.finishedAt ? ` in ${formatDuration(run.finishedAt - run.startedAt)}` : ""}
          </p>
          {run.progress?.text && <p className="muted">{run.progress.text}</p>}
          {run.error && <pre className="error-block">{run.error}</pre>}
          <div className="insp-actions">
            <button type="button" className="tb-btn" onClick={() => setBottom("outputs")} disabled={!run.outputs}>Outputs</button>
            <button type="button" className="tb-btn" onClick={() => setBottom("logs")}>Logs</button>
          </div>
        </section>
      )}
      <section className="insp-section">
        <h3>Parameters</h3>
        {spec ? (
          <fieldset className="plain" disabled={readOnly}>
            <ParamForm nodeId={id} spec={spec} params={data.params} problems={problems} />
          </fieldset>
        ) : <p className="error-text">Unknown component “{data.component}” v{data.version}: replace this node.</p>}
      </section>
      {spec?.doc && (
        <section className="insp-section">
          <h3>Documentation</h3>
          <div className="doc">{spec.doc.split(/\n\s*\n/).map((para, i) => <p key={i}>{para.replace(/``/g, "")}</p>)}</div>
        </section>
      )}
    </div>
  );
}

export function Inspector() {
  const selected = useGraphStore(useShallow((s) => s.nodes.filter((n) => n.selected).map((n) => n.id)));
  const counts = useGraphStore(useShallow((s) => ({ nodes: s.nodes.length, edges: s.edges.length })));
  const problems = useValidationStore((s) => s.problems.length);
  return (
    <div className="inspector" aria-label="Inspector">
      {selected.length === 1 ? <NodeInspector id={selected[0] as string} /> : (
        <div className="inspector-body">
          <div className="panel-head"><h2>{selected.length > 1 ? `${selected.length} nodes selected` : "Workflow"}</h2></div>
          <section className="insp-section">
            <p className="muted">
              {counts.nodes} node{counts.nodes === 1 ? "" : "s"}, {counts.edges} edge{counts.edges === 1 ? "" : "s"}
              {problems ? `, ${problems} problem${problems === 1 ? "" : "s"}` : ""}.
            </p>
            <p className="muted">Select a node to edit its parameters, read its documentation, and see its outputs and log after a run.</p>
          </section>
        </div>
      )}
    </div>
  );
}
