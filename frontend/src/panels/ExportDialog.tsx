/** Export to code: the workflow as Python SDK code, highlighted, with copy and download (.py). */
import { useEffect, useMemo, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { useExportWorkflow } from "../api/queries/use-export-workflow";
import { useEnsureSaved } from "../canvas/useWorkflowSession";
import { useUiStore } from "../store/uiStore";
import { highlightPython } from "./highlight";

export function ExportDialog() {
  const { open, setOpen, workflow, showToast } = useUiStore(useShallow((s) => ({
    open: s.exportOpen, setOpen: s.setExportOpen, workflow: s.workflow, showToast: s.showToast,
  })));
  const ensureSaved = useEnsureSaved(); // stable: built on mutateAsync
  const [saveError, setSaveError] = useState<string | null>(null);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    if (!open) return setReady(false);
    setSaveError(null);
    ensureSaved().then(() => setReady(true), (err: Error) => setSaveError(err.message));
  }, [open, ensureSaved]);

  const query = useExportWorkflow(workflow?.id ?? null, workflow?.version ?? 0, open && ready);
  const tokens = useMemo(() => (query.data ? highlightPython(query.data) : []), [query.data]);
  if (!open) return null;

  const filename = `${(workflow?.name ?? "workflow").replace(/[^\w-]+/g, "_").toLowerCase()}.py`;
  const copy = () => navigator.clipboard.writeText(query.data ?? "").then(
    () => showToast("Code copied to the clipboard.", "success"),
    () => showToast("The browser refused clipboard access; select the code and copy it.", "error"));
  const download = () => {
    const url = URL.createObjectURL(new Blob([query.data ?? ""], { type: "text/x-python" }));
    const a = Object.assign(document.createElement("a"), { href: url, download: filename });
    a.click();
    URL.revokeObjectURL(url);
  };
  const error = saveError ?? (query.error ? query.error.message : null);

  return (
    <div className="modal-backdrop" onMouseDown={() => setOpen(false)}>
      <div className="modal wide" role="dialog" aria-label="Export to code" onMouseDown={(e) => e.stopPropagation()}>
        <header className="modal-head">
          <h2>Export to code</h2>
          <span className="muted">Python SDK · {filename}</span>
          <button type="button" className="close" aria-label="Close" onClick={() => setOpen(false)}>×</button>
        </header>
        <div className="code-wrap">
          {error && <p className="error-text">Could not export: {error}</p>}
          {!error && !query.data && <p className="muted">Generating code…</p>}
          {query.data && (
            <pre className="code" data-testid="export-code">
              {tokens.map((t, i) => (t.kind === "text" ? t.text : <span key={i} className={`tok-${t.kind}`}>{t.text}</span>))}
            </pre>
          )}
        </div>
        <footer className="modal-foot">
          <button type="button" className="tb-btn" onClick={() => void copy()} disabled={!query.data}>Copy</button>
          <button type="button" className="tb-btn primary" onClick={download} disabled={!query.data}>Download .py</button>
        </footer>
      </div>
    </div>
  );
}
