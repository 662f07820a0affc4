/** The far-zoom overview of a big graph (see overview.ts), redrawn once per frame when the graph,
 * the run, the problems or the viewport change. Clicks go through to the pane (FlowCanvas selects
 * the node under the pointer); panning and zooming stay React Flow's. */
import { useStore, type ReactFlowState } from "@xyflow/react";
import { useEffect, useRef, useState } from "react";
import { shallow } from "zustand/shallow";
import { useCatalogueStore } from "../store/catalogueStore";
import { useGraphStore } from "../store/graphStore";
import { useRunStore } from "../store/runStore";
import { useValidationStore } from "../store/validationStore";
import { drawOverview } from "./overview";

const viewport = (s: ReactFlowState) => ({ x: s.transform[0], y: s.transform[1], zoom: s.transform[2], width: s.width, height: s.height });

export function OverviewLayer() {
  const ref = useRef<HTMLCanvasElement>(null);
  const vp = useStore(viewport, shallow);
  const nodes = useGraphStore((s) => s.nodes);
  const edges = useGraphStore((s) => s.edges);
  const catalogue = useCatalogueStore((s) => s.index);
  const runNodes = useRunStore((s) => s.nodes);
  const problems = useValidationStore((s) => s.byNode);
  const [drawn, setDrawn] = useState(false);

  useEffect(() => {
    const frame = requestAnimationFrame(() => {
      const canvas = ref.current;
      const ctx = canvas?.getContext("2d");
      if (!canvas || !ctx || !vp.width) return;
      const dpr = window.devicePixelRatio || 1;
      if (canvas.width !== Math.round(vp.width * dpr)) canvas.width = Math.round(vp.width * dpr);
      if (canvas.height !== Math.round(vp.height * dpr)) canvas.height = Math.round(vp.height * dpr);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      drawOverview(ctx, vp, nodes, edges, catalogue, {
        status: (id) => runNodes[id]?.status,
        problems: (id) => (problems[id]?.length ?? 0) > 0,
      });
      setDrawn(nodes.length > 0);
    });
    return () => cancelAnimationFrame(frame);
  }, [vp, nodes, edges, catalogue, runNodes, problems]);

  return <canvas ref={ref} className="overview-layer" data-drawn={drawn || undefined} style={{ width: vp.width, height: vp.height }}
    aria-label={`Overview of ${nodes.length} nodes; zoom in to edit them`} />;
}
