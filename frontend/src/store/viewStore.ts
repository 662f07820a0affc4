/** The canvas viewport's bookkeeping: which loaded graph has been fitted to the view yet. Until it
 * has, nodes draw compact, so a big graph is never first drawn in full at the default zoom. */
import { create } from "zustand";

interface ViewState {
  /** graphStore `loads` count whose graph the view was last fitted to. */
  fittedLoad: number;
  setFitted: (load: number) => void;
}

export const useViewStore = create<ViewState>()((set) => ({
  fittedLoad: 0,
  setFitted: (fittedLoad) => set({ fittedLoad }),
}));
