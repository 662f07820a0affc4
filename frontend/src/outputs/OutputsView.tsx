/** The outputs of one node in the current run: a tab per port, then the viewer for its type. */
import { useEffect, useState } from "react";
import { outputUrl, useGetOutputPreview } from "../api/queries/use-get-output-preview";
import { useCatalogueStore } from "../store/catalogueStore";
import { useGraphStore } from "../store/graphStore";
import { selectNodeRun, useRunStore } from "../store/runStore";
import { ChartView } from "./ChartView";
import { MetricsTable } from "./MetricsTable";
import { ModelSummary } from "./ModelSummary";
import { TablePreview } from "./TablePreview";

function Preview({ runId, node, port }: { runId: number; node: string; port: string }) {
  const q = useGetOutputPreview(runId, node, port);
  if (q.isPending) return <p className="muted pad">Loading the preview…</p>;
  if (q.error) return <p className="error-text pad">Could not load this output: {q.error.message}</p>;
  const p = q.data;
  return (
    <div className="out-body" data-output-type={p.type}>
      {p.table && <TablePreview table={p.table} />}
      {p.metrics && <MetricsTable metrics={p.metrics} />}
      {p.figure && <ChartView spec={p.figure} />}
      {(p.type === "model" || p.type === "transformer") && <ModelSummary summary={p.summary} size={p.size} type={p.type} />}
      {p.text !== undefined && <pre className="text-output">{p.text}{p.truncated ? "\n…" : ""}</pre>}
    </div>
  );
}

export function OutputsView({ nodeId }: { nodeId: string }) {
  const runId = useRunStore((s) => s.runId);
  const run = useRunStore(selectNodeRun(nodeId));
  const data = useGraphStore((s) => s.nodes.find((n) => n.id === nodeId)?.data);
  const spec = useCatalogueStore((s) => (data ? s.index?.spec(data.component, data.version) : undefined));
  const ports = Object.keys(run?.outputs ?? {});
  const ordered = [...(spec?.outputs.map((p) => p.name).filter((p) => ports.includes(p)) ?? []), ...ports.filter((p) => !spec?.outputs.some((o) => o.name === p))];
  const [port, setPort] = useState<string | null>(null);
  const current = port && ordered.includes(port) ? port : ordered[0] ?? null;
  useEffect(() => setPort(null), [nodeId]);

  if (runId === null || !run) return <p className="muted pad">Run the workflow to see this node’s outputs.</p>;
  if (!current) {
    const why = run.status === "failed" ? "It failed: see Logs." : run.status === "skipped" ? "It was skipped (an upstream node failed)." : `It is ${run.status}.`;
    return <p className="muted pad">No outputs yet. {why}</p>;
  }
  const colour = (name: string) => {
    const type = run.outputs?.[name]?.type ?? "";
    return useCatalogueStore.getState().index?.typeColour(type);
  };
  return (
    <div className="outputs-view">
      <div className="port-tabs" role="tablist">
        {ordered.map((name) => (
          <button key={name} type="button" role="tab" aria-selected={name === current} className={name === current ? "active" : ""} onClick={() => setPort(name)}>
            <span className="qs-dot" style={{ background: colour(name) }} /> {name}
            <span className="muted"> {run.outputs?.[name]?.type}</span>
          </button>
        ))}
        <a className="download" href={`${outputUrl(runId, nodeId, current)}download/`} download>Download</a>
      </div>
      <Preview key={`${runId}/${nodeId}/${current}`} runId={runId} node={nodeId} port={current} />
    </div>
  );
}
