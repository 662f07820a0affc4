/** The one toast (connection refused, run problems, copy done), dismissed after a few seconds. */
import { useEffect } from "react";
import { useUiStore } from "../store/uiStore";

export function ToastView() {
  const toast = useUiStore((s) => s.toast);
  const dismiss = useUiStore((s) => s.dismissToast);
  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => dismiss(toast.id), toast.tone === "error" ? 6000 : 3000);
    return () => clearTimeout(t);
  }, [toast, dismiss]);
  if (!toast) return null;
  return (
    <div className={`toast toast-${toast.tone}`} role={toast.tone === "error" ? "alert" : "status"}>
      <span>{toast.text}</span>
      <button type="button" aria-label="Dismiss" onClick={() => dismiss(toast.id)}>×</button>
    </div>
  );
}
