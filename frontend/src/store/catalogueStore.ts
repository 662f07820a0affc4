/** The component catalogue, indexed, once the API has delivered it (the store never fetches). */
import { create } from "zustand";
import { indexCatalogue, type CatalogueIndex } from "../graph/catalogue";
import type { Catalogue } from "../graph/types";

interface CatalogueState {
  index: CatalogueIndex | null;
  setCatalogue: (raw: Catalogue) => void;
}

export const useCatalogueStore = create<CatalogueState>()((set) => ({
  index: null,
  setCatalogue: (raw) => set({ index: indexCatalogue(raw) }),
}));

/** The index, for actions outside React (store actions, event handlers). */
export const catalogueNow = (): CatalogueIndex | null => useCatalogueStore.getState().index;
