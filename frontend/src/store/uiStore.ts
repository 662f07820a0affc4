/** UI state: the workflow ref and save state, open panels and overlays, quick search, run options,
 * the read-only version being viewed, the one toast. No API calls. */
import { create } from "zustand";
import type { Position } from "../graph/types";

export type ToastTone = "info" | "error" | "success";

export interface Toast {
  id: number;
  text: string;
  tone: ToastTone;
}

export interface QuickSearch {
  /** Where it opens on screen, and where the node lands in flow coordinates. */
  screen: Position;
  flow: Position;
}

export interface WorkflowRef {
  id: number;
  name: string;
  /** Latest saved version number. */
  version: number;
}

export type SidePanel = "inspector" | "runs" | "versions";
export type BottomTab = "outputs" | "logs";

interface UiState {
  /** The workflow being edited; null until it is loaded (or for a new, unsaved one). */
  workflow: WorkflowRef | null;
  saving: "idle" | "saving" | "saved" | "error";
  /** Why the last save failed (shown under the name). */
  saveError: string | null;
  /** graphStore revision last saved to the server. */
  savedRevision: number;
  /** A past version shown read-only (null: editing the current graph). */
  viewing: number | null;
  side: SidePanel;
  bottom: BottomTab | null;
  helpOpen: boolean;
  exportOpen: boolean;
  quickSearch: QuickSearch | null;
  useCache: boolean;
  toast: Toast | null;
  setWorkflow: (workflow: WorkflowRef | null) => void;
  setSaving: (saving: UiState["saving"], savedRevision?: number, error?: string | null) => void;
  setViewing: (version: number | null) => void;
  setSide: (side: SidePanel) => void;
  setBottom: (tab: BottomTab | null) => void;
  setHelpOpen: (open: boolean) => void;
  setExportOpen: (open: boolean) => void;
  openQuickSearch: (at: QuickSearch) => void;
  closeQuickSearch: () => void;
  setUseCache: (on: boolean) => void;
  showToast: (text: string, tone?: ToastTone) => void;
  dismissToast: (id: number) => void;
}

let toastSeq = 0;

export const useUiStore = create<UiState>()((set) => ({
  workflow: null,
  saving: "idle",
  saveError: null,
  savedRevision: 0,
  viewing: null,
  side: "inspector",
  bottom: null,
  helpOpen: false,
  exportOpen: false,
  quickSearch: null,
  useCache: true,
  toast: null,
  setWorkflow: (workflow) => set({ workflow }),
  setSaving: (saving, savedRevision, error = null) =>
    set(savedRevision === undefined ? { saving, saveError: error } : { saving, savedRevision, saveError: error }),
  setViewing: (viewing) => set({ viewing }),
  setSide: (side) => set({ side }),
  setBottom: (bottom) => set({ bottom }),
  setHelpOpen: (helpOpen) => set({ helpOpen }),
  setExportOpen: (exportOpen) => set({ exportOpen }),
  openQuickSearch: (quickSearch) => set((s) => (s.viewing === null ? { quickSearch } : s)),
  closeQuickSearch: () => set({ quickSearch: null }),
  setUseCache: (useCache) => set({ useCache }),
  showToast: (text, tone = "info") => set({ toast: { id: ++toastSeq, text, tone } }),
  dismissToast: (id) => set((s) => (s.toast?.id === id ? { toast: null } : s)),
}));

/** True while a past version is shown: nothing may change the graph. */
export const isReadOnly = (): boolean => useUiStore.getState().viewing !== null;
