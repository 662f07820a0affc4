/** One workflow in the list: open, rename in place, duplicate, delete (after a confirmation). */
import { useState } from "react";
import { useDeleteWorkflow } from "../api/queries/use-delete-workflow";
import { useDuplicateWorkflow } from "../api/queries/use-duplicate-workflow";
import { useUpdateWorkflow } from "../api/queries/use-update-workflow";
import type { WorkflowSummary } from "../api/types";
import { ago } from "../panels/time";
import { workflowPath } from "./navigate";

export function WorkflowRow({ wf, onError }: { wf: WorkflowSummary; onError: (text: string) => void }) {
  const [draft, setDraft] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const rename = useUpdateWorkflow();
  const duplicate = useDuplicateWorkflow();
  const remove = useDeleteWorkflow();

  const commit = () => {
    const name = draft?.trim();
    setDraft(null);
    if (name && name !== wf.name) rename.mutate({ id: wf.id, name }, { onError: (e) => onError(`Could not rename: ${e.message}`) });
  };

  return (
    <li className="wf-row" data-workflow={wf.id}>
      <div className="wf-main">
        {draft === null ? (
          <a className="wf-title" href={workflowPath(wf.id)}>{wf.name}</a>
        ) : (
          <input className="name-input" aria-label="New name" autoFocus value={draft} maxLength={200}
            onChange={(e) => setDraft(e.target.value)} onBlur={commit}
            onKeyDown={(e) => { if (e.key === "Enter") commit(); else if (e.key === "Escape") setDraft(null); }} />
        )}
        {wf.description && <p className="wf-desc">{wf.description}</p>}
        <span className="wf-meta">Edited {ago(wf.updated_at)} · version {wf.latest_version ?? "—"}</span>
      </div>
      <div className="wf-actions">
        {confirming ? (
          <>
            <span className="muted small">Delete it with its versions and runs?</span>
            <button type="button" className="tb-btn danger" onClick={() => remove.mutate(wf.id, { onError: (e) => onError(`Could not delete: ${e.message}`) })}>Delete</button>
            <button type="button" className="tb-btn" onClick={() => setConfirming(false)}>Keep</button>
          </>
        ) : (
          <>
            <a className="tb-btn primary" href={workflowPath(wf.id)}>Open</a>
            <button type="button" className="tb-btn" onClick={() => setDraft(wf.name)}>Rename</button>
            <button type="button" className="tb-btn" disabled={duplicate.isPending}
              onClick={() => duplicate.mutate({ id: wf.id, name: `${wf.name} (copy)` }, { onError: (e) => onError(`Could not duplicate: ${e.message}`) })}>
              Duplicate
            </button>
            <button type="button" className="tb-btn" onClick={() => setConfirming(true)} aria-label={`Delete ${wf.name}`}>Delete</button>
          </>
        )}
      </div>
    </li>
  );
}
