/**
 * Keyboard shortcuts (listed in shortcuts.ts) and copy/cut/paste through the system clipboard, so
 * fragments paste into another workflow or tab. Keys typed into form fields are left alone.
 */
import { useReactFlow } from "@xyflow/react";
import { useEffect, useRef } from "react";
import { parseFragment, serializeFragment } from "../graph/clipboard";
import { useGraphStore } from "../store/graphStore";
import { useUiStore } from "../store/uiStore";
import { isTyping } from "./shortcuts";
import { useFitGraph } from "./useFitGraph";
import { useRunActions } from "./useRunActions";

export function useShortcuts(): void {
  const rf = useReactFlow();
  const fit = useFitGraph();
  const { run } = useRunActions();
  const runRef = useRef(run);
  runRef.current = run;

  useEffect(() => {
    const g = useGraphStore.getState;
    const ui = useUiStore.getState;
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target)) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      const act = (fn: () => void) => {
        e.preventDefault();
        fn();
      };
      if (mod && key === "z") return act(e.shiftKey ? g().redo : g().undo);
      if (mod && key === "y") return act(g().redo);
      if (mod && key === "a") return act(() => g().selectOnly(g().nodes.map((n) => n.id)));
      if (mod && key === "d") {
        return act(() => {
          const f = g().copySelection();
          if (f) g().paste(f);
        });
      }
      if (mod && key === "k") {
        const r = document.querySelector(".canvas-area")?.getBoundingClientRect();
        const screen = r ? { x: r.left + r.width / 2 - 160, y: r.top + 80 } : { x: 200, y: 120 };
        return act(() => ui().openQuickSearch({ screen, flow: rf.screenToFlowPosition({ x: screen.x + 160, y: screen.y + 120 }) }));
      }
      if (mod && key === "enter") return act(() => void runRef.current());
      if (mod || e.altKey) return;
      if (key === "delete" || key === "backspace") return act(() => void g().deleteSelected());
      if (key === "l") return act(() => {
        g().autoLayout();
        requestAnimationFrame(() => void fit(300));
      });
      if (key === "f") return act(() => void fit(300));
      if (e.key === "?") return act(() => ui().setHelpOpen(!ui().helpOpen));
      if (key === "escape") {
        const s = ui();
        if (s.helpOpen || s.exportOpen || s.quickSearch) {
          s.setHelpOpen(false);
          s.setExportOpen(false);
          s.closeQuickSearch();
        } else g().selectOnly([]);
      }
    };

    const onCopy = (e: ClipboardEvent, cut: boolean) => {
      if (isTyping(e.target) || !e.clipboardData) return;
      const fragment = g().copySelection();
      if (!fragment) return;
      e.preventDefault();
      e.clipboardData.setData("text/plain", serializeFragment(fragment));
      if (cut) g().deleteSelected();
    };
    const onPaste = (e: ClipboardEvent) => {
      if (isTyping(e.target)) return;
      const fragment = parseFragment(e.clipboardData?.getData("text/plain") ?? "");
      if (!fragment) return;
      e.preventDefault();
      const pasted = g().paste(fragment);
      ui().showToast(`Pasted ${pasted.length} node${pasted.length === 1 ? "" : "s"}.`);
    };
    const copy = (e: ClipboardEvent) => onCopy(e, false);
    const cut = (e: ClipboardEvent) => onCopy(e, true);
    window.addEventListener("keydown", onKey);
    document.addEventListener("copy", copy);
    document.addEventListener("cut", cut);
    document.addEventListener("paste", onPaste);
    return () => {
      window.removeEventListener("keydown", onKey);
      document.removeEventListener("copy", copy);
      document.removeEventListener("cut", cut);
      document.removeEventListener("paste", onPaste);
    };
  }, [rf, fit]);
}
