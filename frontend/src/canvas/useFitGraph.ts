/** Zoom to fit, computed from the graph store (node positions and sizes known up front), so it
 * also works while React Flow mounts no nodes (the far-zoom overview of a big graph). */
import { getNodesBounds, getViewportForBounds, useReactFlow, useStoreApi } from "@xyflow/react";
import { useCallback } from "react";
import { useGraphStore } from "../store/graphStore";

export const FIT_PADDING = 0.15;
export const FIT_MAX_ZOOM = 1.2;

export function useFitGraph(): (duration?: number) => Promise<boolean> {
  const rf = useReactFlow();
  const store = useStoreApi();
  return useCallback((duration = 0) => {
    const nodes = useGraphStore.getState().nodes;
    const { width, height, minZoom } = store.getState();
    if (!nodes.length || !width || !height) return Promise.resolve(false);
    const vp = getViewportForBounds(getNodesBounds(nodes), width, height, minZoom, FIT_MAX_ZOOM, FIT_PADDING);
    return rf.setViewport(vp, duration ? { duration } : undefined);
  }, [rf, store]);
}
