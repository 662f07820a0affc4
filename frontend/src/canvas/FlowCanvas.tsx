/**
 * The canvas: React Flow bound to the graph store, drop from the palette, double-click quick
 * search, connection checks that say why a link is refused, minimap and controls.
 */
import {
  Background, BackgroundVariant, Controls, MiniMap, ReactFlow, useReactFlow,
  type Connection as RFConnection, type Edge, type NodeTypes, type OnConnectEnd,
} from "@xyflow/react";
import { useCallback, type DragEvent, type MouseEvent } from "react";
import { useShallow } from "zustand/react/shallow";
import type { DesignerNode } from "../graph/convert";
import { NODE_WIDTH } from "../graph/size";
import { ComponentNode } from "../nodes/ComponentNode";
import { catalogueNow } from "../store/catalogueStore";
import { useGraphStore } from "../store/graphStore";
import { useUiStore } from "../store/uiStore";
import { DND_MIME } from "./dnd";
import { EmptyState } from "./EmptyState";
import { QuickSearch } from "./QuickSearch";
import { useShortcuts } from "./useShortcuts";

const nodeTypes: NodeTypes = { component: ComponentNode };
const defaultEdgeOptions = { type: "default", interactionWidth: 16 };
const fitViewOptions = { padding: 0.2, maxZoom: 1.2 };
const snapGrid: [number, number] = [10, 10];
const minimapStyle = { width: 168, height: 112 };

const minimapColour = (n: DesignerNode): string => {
  const cat = catalogueNow();
  const spec = cat?.spec(n.data.component, n.data.version);
  return spec && cat ? cat.categoryColour(spec.category) : "#b8c0cc";
};

const toConnection = (c: RFConnection | Edge) => ({
  source: c.source, sourcePort: c.sourceHandle ?? null, target: c.target, targetPort: c.targetHandle ?? null,
});

export function FlowCanvas() {
  const { nodes, edges, onNodesChange, onEdgesChange } = useGraphStore(useShallow((s) => ({
    nodes: s.nodes, edges: s.edges, onNodesChange: s.onNodesChange, onEdgesChange: s.onEdgesChange,
  })));
  const { showToast, openQuickSearch } = useUiStore(useShallow((s) => ({ showToast: s.showToast, openQuickSearch: s.openQuickSearch })));
  const rf = useReactFlow();
  useShortcuts();

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
    const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    useGraphStore.getState().addNode(componentId, { x: p.x - NODE_WIDTH / 2, y: p.y - 20 });
  }, [rf]);

  const onDoubleClick = useCallback((e: MouseEvent) => {
    if (!(e.target as HTMLElement).classList.contains("react-flow__pane")) return;
    openQuickSearch({ screen: { x: e.clientX, y: e.clientY }, flow: rf.screenToFlowPosition({ x: e.clientX, y: e.clientY }) });
  }, [openQuickSearch, rf]);

  return (
    <div className="flow-wrap" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<DesignerNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onDoubleClick={onDoubleClick}
        defaultEdgeOptions={defaultEdgeOptions}
        deleteKeyCode={null}
        zoomOnDoubleClick={false}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={["Meta", "Control"]}
        snapToGrid
        snapGrid={snapGrid}
        onlyRenderVisibleElements={nodes.length > 200}
        minZoom={0.05}
        fitView
        fitViewOptions={fitViewOptions}
        attributionPosition="bottom-center"
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} color="#c9d1de" />
        <Controls showInteractive={false} position="bottom-left" />
        {nodes.length > 0 && <MiniMap<DesignerNode> pannable zoomable nodeColor={minimapColour} nodeStrokeWidth={0} position="bottom-right" style={minimapStyle} />}
      </ReactFlow>
      {nodes.length === 0 && <EmptyState />}
      <QuickSearch />
    </div>
  );
}
