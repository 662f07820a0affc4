/** The start page (`/`): the user's workflows (open, create, rename, duplicate, delete, import code)
 * and the templates gallery. */
import { useState } from "react";
import { readCookie } from "../api/client";
import { useCreateWorkflow } from "../api/queries/use-create-workflow";
import { useGetMe } from "../api/queries/use-get-me";
import { useListWorkflows } from "../api/queries/use-list-workflows";
import { ImportCode } from "./ImportCode";
import { openWorkflow } from "./navigate";
import { TemplatesGallery } from "./TemplatesGallery";
import { WorkflowRow } from "./WorkflowRow";

function UserMenu() {
  const me = useGetMe();
  return (
    <form className="user-menu" method="post" action="/accounts/logout/">
      <input type="hidden" name="csrfmiddlewaretoken" value={readCookie("csrftoken") ?? ""} />
      {me.data && <span className="muted">Signed in as <strong>{me.data.username}</strong></span>}
      <a className="link-button" href="/api/docs/">API</a>
      <button type="submit" className="link-button">Sign out</button>
    </form>
  );
}

export function WorkflowsPage() {
  const list = useListWorkflows();
  const create = useCreateWorkflow();
  const [error, setError] = useState<string | null>(null);
  const workflows = list.data?.results ?? [];

  const newWorkflow = () => create.mutate(
    { name: "Untitled workflow", graph: { schema_version: 1, nodes: [], edges: [] } },
    { onSuccess: (wf) => openWorkflow(wf.id), onError: (e) => setError(`Could not create a workflow: ${e.message}`) },
  );

  return (
    <div className="page">
      <header className="page-top">
        <a className="brand" href="/"><span className="logo" aria-hidden>◆</span> Designer</a>
        <UserMenu />
      </header>
      <main className="page-main">
        {error && (
          <div className="banner-error" role="alert">
            <span>{error}</span>
            <button type="button" className="close" aria-label="Dismiss" onClick={() => setError(null)}>×</button>
          </div>
        )}
        <section className="page-section">
          <div className="section-head">
            <h2>Your workflows</h2>
            <div className="section-actions">
              <ImportCode onError={setError} />
              <button type="button" className="tb-btn primary" onClick={newWorkflow} disabled={create.isPending}>+ New workflow</button>
            </div>
          </div>
          {list.isPending && <p className="muted">Loading…</p>}
          {list.error && <p className="error-text">Could not load your workflows: {list.error.message}</p>}
          {list.data && workflows.length === 0 && (
            <p className="muted empty-list">No workflows yet. Create one, import a .py file, or start from a template below.</p>
          )}
          <ul className="wf-list">
            {workflows.map((wf) => <WorkflowRow key={wf.id} wf={wf} onError={setError} />)}
          </ul>
          {list.data && list.data.count > workflows.length && (
            <p className="muted small">Showing the {workflows.length} most recent of {list.data.count}.</p>
          )}
        </section>
        <TemplatesGallery onError={setError} />
      </main>
    </div>
  );
}
