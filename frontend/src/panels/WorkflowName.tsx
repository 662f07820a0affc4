/** The workflow's name in the toolbar (click to rename) and its save state. */
import { useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { useUpdateWorkflow } from "../api/queries/use-update-workflow";
import { useUiStore } from "../store/uiStore";
import { refOf } from "../canvas/useWorkflowSession";

const SAVE_TEXT = { idle: "Not saved yet", saving: "Saving…", saved: "All changes saved", error: "Save failed" } as const;

export function WorkflowName() {
  const ui = useUiStore(useShallow((s) => ({ workflow: s.workflow, saving: s.saving, saveError: s.saveError, viewing: s.viewing })));
  const update = useUpdateWorkflow();
  const [draft, setDraft] = useState<string | null>(null);
  const wf = ui.workflow;

  const commit = () => {
    const name = draft?.trim();
    setDraft(null);
    if (!wf || !name || name === wf.name) return;
    update.mutate({ id: wf.id, name }, {
      onSuccess: (saved) => {
        useUiStore.getState().setWorkflow({ ...refOf(saved), version: useUiStore.getState().workflow?.version ?? refOf(saved).version });
        document.title = `${saved.name} · Designer`;
      },
      onError: (err) => useUiStore.getState().showToast(`Could not rename: ${err.message}`, "error"),
    });
  };

  const state = ui.viewing !== null ? `Viewing version ${ui.viewing} (read-only)`
    : ui.saving === "error" ? ui.saveError ?? SAVE_TEXT.error
    : wf && ui.saving === "saved" ? `${SAVE_TEXT.saved} · v${wf.version}` : SAVE_TEXT[ui.saving];

  return (
    <div className="wf-name" title={wf ? `Workflow ${wf.id}, version ${wf.version}` : undefined}>
      {draft === null ? (
        <button type="button" className="name" onClick={() => wf && setDraft(wf.name)} title="Rename">{wf?.name ?? "Loading…"}</button>
      ) : (
        <input className="name-input" aria-label="Workflow name" autoFocus value={draft} maxLength={200}
          onChange={(e) => setDraft(e.target.value)} onBlur={commit}
          onKeyDown={(e) => { if (e.key === "Enter") commit(); else if (e.key === "Escape") setDraft(null); }} />
      )}
      <span className={`save-state ${ui.viewing !== null ? "viewing" : ui.saving}`} data-testid="save-state">{state}</span>
    </div>
  );
}
