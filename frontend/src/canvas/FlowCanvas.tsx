/**
 * The canvas: React Flow bound to the graph store, drop from the palette, double-click quick
 * search, connection checks that say why a link is refused, minimap and controls.
 */
import {
  Background, BackgroundVariant, ControlButton, Controls, Panel, ReactFlow, useReactFlow, useStore, useStoreApi,
  type Connection as RFConnection, type Edge, type NodeTypes, type OnConnectEnd,
} from "@xyflow/react";
import { useCallback, useEffect, type DragEvent, type MouseEvent } from "react";
import { useShallow } from "zustand/react/shallow";
import type { DesignerNode } from "../graph/convert";
import { NODE_WIDTH } from "../graph/size";
import { ComponentNode, zoomedOut } from "../nodes/ComponentNode";
import { useCatalogueStore } from "../store/catalogueStore";
import { useGraphStore } from "../store/graphStore";
import { useUiStore } from "../store/uiStore";
import { useViewStore } from "../store/viewStore";
import { DND_MIME } from "./dnd";
import { MiniMapCanvas } from "./MiniMapCanvas";
import { nodeAt } from "./overview";
import { OverviewLayer } from "./OverviewLayer";
import { useFitGraph } from "./useFitGraph";
import { EmptyState } from "./EmptyState";
import { QuickSearch } from "./QuickSearch";
import { useShortcuts } from "./useShortcuts";

const nodeTypes: NodeTypes = { component: ComponentNode };
const defaultEdgeOptions = { type: "default", interactionWidth: 16 };
/** From this many nodes, zooming out (below LOD_ZOOM) draws the overview instead of DOM nodes. */
export const OVERVIEW_MIN_NODES = 150;
const NO_NODES: DesignerNode[] = [];
const NO_EDGES: Edge[] = [];
const snapGrid: [number, number] = [10, 10];

const toConnection = (c: RFConnection | Edge) => ({
  source: c.source, sourcePort: c.sourceHandle ?? null, target: c.target, targetPort: c.targetHandle ?? null,
});

export function FlowCanvas() {
  const { nodes, edges, onNodesChange, onEdgesChange } = useGraphStore(useShallow((s) => ({
    nodes: s.nodes, edges: s.edges, onNodesChange: s.onNodesChange, onEdgesChange: s.onEdgesChange,
  })));
  const { showToast, openQuickSearch, readOnly, bottomOpen } = useUiStore(useShallow((s) => ({
    showToast: s.showToast, openQuickSearch: s.openQuickSearch, readOnly: s.viewing !== null, bottomOpen: s.bottom !== null,
  })));
  const rf = useReactFlow();
  useShortcuts();
  const farAway = useStore(zoomedOut);
  const fit = useFitGraph();

  // Fit each newly opened graph (workflow or version) into view; nodes draw compact until then.
  const loads = useGraphStore((s) => s.loads);
  const fitted = useViewStore((s) => s.fittedLoad === loads && loads > 0);
  const overview = nodes.length >= OVERVIEW_MIN_NODES && (farAway || !fitted);
  const flowStore = useStoreApi();
  useEffect(() => {
    if (!loads) return;
    let frame = 0;
    let tries = 0;
    const attempt = () => { // React Flow may not know its size yet on the very first load
      if (!flowStore.getState().width && tries++ < 30) return void (frame = requestAnimationFrame(attempt));
      void fit().finally(() => useViewStore.getState().setFitted(loads));
    };
    attempt();
    return () => cancelAnimationFrame(frame);
  }, [loads, fit, flowStore]);

  // In the overview nothing is mounted to click: pick the node under the pointer.
  const onPaneClick = useCallback((e: MouseEvent) => {
    const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    const g = useGraphStore.getState();
    const hit = nodeAt(g.nodes, useCatalogueStore.getState().index, p.x, p.y);
    g.selectOnly(hit ? [hit] : []);
  }, [rf]);

  const isValidConnection = useCallback((c: RFConnection | Edge) =>
    useGraphStore.getState().checkConnection(toConnection(c)).ok, []);

  const onConnect = useCallback((c: RFConnection) => {
    const verdict = useGraphStore.getState().connect(toConnection(c));
    if (!verdict.ok) showToast(verdict.reason, "error");
  }, [showToast]);

  // React Flow drops refused links silently; say why.
  const onConnectEnd: OnConnectEnd = useCallback((_, state) => {
    if (state.isValid !== false || !state.fromHandle || !state.toHandle) return;
    const [from, to] = [state.fromHandle, state.toHandle];
    const [src, dst] = from.type === "source" ? [from, to] : [to, from];
    const verdict = useGraphStore.getState().checkConnection({
      source: src.nodeId, sourcePort: src.id ?? null, target: dst.nodeId, targetPort: dst.id ?? null,
    });
    if (!verdict.ok) showToast(verdict.reason, "error");
  }, [showToast]);

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(DND_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "copy";
  }, []);

  const onDrop = useCallback((e: DragEvent) => {
    const componentId = e.dataTransfer.getData(DND_MIME);
    if (!componentId) return;
    e.preventDefault();
    if (useUiStore.getState().viewing !== null) {
      showToast("This is a past version (read-only): restore it or go back to the current one to edit.", "error");
      return;
    }
    const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    useGraphStore.getState().addNode(componentId, { x: p.x - NODE_WIDTH / 2, y: p.y - 20 });
  }, [rf, showToast]);

  const onDoubleClick = useCallback((e: MouseEvent) => {
    if (!(e.target as HTMLElement).classList.contains("react-flow__pane")) return;
    openQuickSearch({ screen: { x: e.clientX, y: e.clientY }, flow: rf.screenToFlowPosition({ x: e.clientX, y: e.clientY }) });
  }, [openQuickSearch, rf]);

  return (
    <div className={`flow-wrap${readOnly ? " read-only" : ""}`} data-fitted={fitted || undefined} onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<DesignerNode>
        nodes={overview ? NO_NODES : nodes}
        edges={overview ? NO_EDGES : edges}
        onPaneClick={overview ? onPaneClick : undefined}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        onDoubleClick={onDoubleClick}
        defaultEdgeOptions={defaultEdgeOptions}
        deleteKeyCode={null}
        zoomOnDoubleClick={false}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={["Meta", "Control"]}
        snapToGrid
        snapGrid={snapGrid}
        // Zoomed in, only what is in view is mounted; zoomed out, every (compact) node stays mounted
        // so panning moves one layer instead of mounting and unmounting nodes at its edges.
        onlyRenderVisibleElements={nodes.length > 200 && !farAway}
        minZoom={0.05}
        attributionPosition="bottom-center"
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} color="#c9d1de" />
        <Controls showInteractive={false} showFitView={false} position="bottom-left">
          <ControlButton onClick={() => void fit(300)} title="Zoom to fit (F)" aria-label="Fit view">⤢</ControlButton>
        </Controls>
        {nodes.length > 0 && !bottomOpen && <Panel position="bottom-right"><MiniMapCanvas /></Panel>}
      </ReactFlow>
      {overview && <OverviewLayer />}
      {nodes.length === 0 && !readOnly && <EmptyState />}
      <QuickSearch />
    </div>
  );
}
