/** UI state: open panels and overlays, quick search, run options, the one toast. No API calls. */
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
  version: number;
}

interface UiState {
  /** The workflow being edited; null for a new, unsaved one. */
  workflow: WorkflowRef | null;
  saving: "idle" | "saving" | "saved" | "error";
  /** graphStore revision last saved to the server. */
  savedRevision: number;
  helpOpen: boolean;
  exportOpen: boolean;
  quickSearch: QuickSearch | null;
  useCache: boolean;
  toast: Toast | null;
  setWorkflow: (workflow: WorkflowRef | null) => void;
  setSaving: (saving: UiState["saving"], savedRevision?: number) => void;
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
  savedRevision: 0,
  helpOpen: false,
  exportOpen: false,
  quickSearch: null,
  useCache: true,
  toast: null,
  setWorkflow: (workflow) => set({ workflow }),
  setSaving: (saving, savedRevision) => set(savedRevision === undefined ? { saving } : { saving, savedRevision }),
  setHelpOpen: (helpOpen) => set({ helpOpen }),
  setExportOpen: (exportOpen) => set({ exportOpen }),
  openQuickSearch: (quickSearch) => set({ quickSearch }),
  closeQuickSearch: () => set({ quickSearch: null }),
  setUseCache: (useCache) => set({ useCache }),
  showToast: (text, tone = "info") => set({ toast: { id: ++toastSeq, text, tone } }),
  dismissToast: (id) => set((s) => (s.toast?.id === id ? { toast: null } : s)),
}));
