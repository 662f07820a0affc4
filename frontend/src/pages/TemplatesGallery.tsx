/** Sample workflows on the bundled data sets (`/api/samples/`): one click copies one into a new workflow. */
import { useInstantiateSample } from "../api/queries/use-instantiate-sample";
import { useListSamples } from "../api/queries/use-list-samples";
import { openWorkflow } from "./navigate";

export function TemplatesGallery({ onError }: { onError: (text: string) => void }) {
  const samples = useListSamples();
  const create = useInstantiateSample();
  return (
    <section className="page-section">
      <h2>Start from a template</h2>
      {samples.isPending && <p className="muted">Loading templates…</p>}
      {samples.error && <p className="error-text">Could not load templates: {samples.error.message}</p>}
      <div className="template-grid">
        {samples.data?.map((s) => (
          <button key={s.name} type="button" className="template-card" data-sample={s.name} disabled={create.isPending}
            onClick={() => create.mutate(s.name, { onSuccess: (wf) => openWorkflow(wf.id), onError: (e) => onError(`Could not create it: ${e.message}`) })}>
            <span className="tc-title">{s.title}</span>
            <span className="tc-desc">{s.description}</span>
            <span className="tc-meta">{s.nodes} nodes · {s.edges} edges · use this template →</span>
          </button>
        ))}
      </div>
    </section>
  );
}
