/** Import a `.py` file written with the Python SDK (or exported here) into a new workflow. The
 * server parses it; it never runs it. */
import { useRef } from "react";
import { ApiError } from "../api/client";
import { useImportWorkflow } from "../api/queries/use-import-workflow";
import { openWorkflow } from "./navigate";

export function ImportCode({ onError }: { onError: (text: string) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const importCode = useImportWorkflow();

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    const name = file.name.replace(/\.py$/i, "").replace(/[_-]+/g, " ").trim() || "Imported workflow";
    try {
      const wf = await importCode.mutateAsync({ name, source: await file.text() });
      openWorkflow(wf.id);
    } catch (err) {
      const line = err instanceof ApiError && err.body.line ? ` (line ${err.body.line})` : "";
      onError(`Could not import ${file.name}${line}: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      if (input.current) input.current.value = "";
    }
  };

  return (
    <>
      <input ref={input} type="file" accept=".py,text/x-python" hidden data-testid="import-file"
        onChange={(e) => void onFile(e.target.files?.[0])} />
      <button type="button" className="tb-btn" disabled={importCode.isPending} onClick={() => input.current?.click()}
        title="A .py file written with the Designer SDK (for example one exported from here)">
        {importCode.isPending ? "Importing…" : "Import .py"}
      </button>
    </>
  );
}
