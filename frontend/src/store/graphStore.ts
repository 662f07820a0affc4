/**
 * The edited graph: React Flow nodes and edges, change handlers, editing actions and undo/redo.
 * Every finished edit (add, delete, move end, connect, param edit, paste, layout) commits one
 * history snapshot of the graph document. No API calls here (CONVENTIONS item 24).
 */
import { applyEdgeChanges, applyNodeChanges, type EdgeChange, type NodeChange } from "@xyflow/react";
import { create } from "zustand";
import { copyFragment, pasteFragment, type Fragment } from "../graph/clipboard";
import { canConnect, type ConnectVerdict, type Connection } from "../graph/connect";
import { specToEdge, toFlow, toGraph, withGeometry, type DesignerEdge, type DesignerNode } from "../graph/convert";
import { canRedo, canUndo, initHistory, record, redo, sameGraph, undo, type History } from "../graph/history";
import { nextNodeId } from "../graph/ids";
import { layeredLayout } from "../graph/layout";
import { estimateNodeSize } from "../graph/size";
import type { GraphSpec, ParamValue, Position } from "../graph/types";
import { SCHEMA_VERSION } from "../graph/types";
import { catalogueNow } from "./catalogueStore";
import { isReadOnly } from "./uiStore";

const EMPTY: GraphSpec = { schema_version: SCHEMA_VERSION, nodes: [], edges: [] };

export interface GraphState {
  nodes: DesignerNode[];
  edges: DesignerEdge[];
  history: History<GraphSpec>;
  /** Bumped on every committed change (autosave listens to it). */
  revision: number;
  /** Bumped on every `load` (a workflow or version opened): validation listens to it. */
  loads: number;
  canUndo: boolean;
  canRedo: boolean;
  load: (graph: GraphSpec) => void;
  document: () => GraphSpec;
  onNodesChange: (changes: NodeChange<DesignerNode>[]) => void;
  onEdgesChange: (changes: EdgeChange<DesignerEdge>[]) => void;
  checkConnection: (c: Connection) => ConnectVerdict;
  connect: (c: Connection) => ConnectVerdict;
  addNode: (componentId: string, position: Position) => string | null;
  deleteSelected: () => number;
  deleteNodes: (ids: string[]) => void;
  setParam: (nodeId: string, name: string, value: ParamValue | undefined) => void;
  setLabel: (nodeId: string, label: string) => void;
  selectOnly: (ids: string[]) => void;
  copySelection: () => Fragment | null;
  paste: (fragment: Fragment, at?: Position) => string[];
  autoLayout: () => void;
  commit: (key?: string) => void;
  undo: () => void;
  redo: () => void;
}

type Set = (partial: Partial<GraphState> | ((s: GraphState) => Partial<GraphState>)) => void;

function withHistory(s: GraphState, history: History<GraphSpec>): Partial<GraphState> {
  if (history === s.history) return {};
  return { history, revision: s.revision + 1, canUndo: canUndo(history), canRedo: canRedo(history) };
}

/** Commit the current nodes/edges as one undo step (nothing while a past version is viewed). */
function commitState(s: GraphState, nodes: DesignerNode[], edges: DesignerEdge[], key?: string): Partial<GraphState> {
  if (isReadOnly()) return {};
  const doc = toGraph(nodes, edges);
  return { nodes, edges, ...withHistory(s, record(s.history, doc, { key: key ?? null, equals: sameGraph })) };
}

function restore(set: Set, step: (h: History<GraphSpec>) => History<GraphSpec>): void {
  if (isReadOnly()) return;
  set((s) => {
    const history = step(s.history);
    if (history === s.history) return {};
    const flow = toFlow(history.present, catalogueNow() ?? undefined, s.nodes, s.edges);
    return { ...flow, ...withHistory(s, history) };
  });
}

export const useGraphStore = create<GraphState>()((set, get) => ({
  nodes: [],
  edges: [],
  history: initHistory(EMPTY),
  revision: 0,
  loads: 0,
  canUndo: false,
  canRedo: false,

  load: (graph) => {
    const flow = toFlow(graph, catalogueNow() ?? undefined);
    set((s) => ({ ...flow, history: initHistory(toGraph(flow.nodes, flow.edges)), revision: 0, loads: s.loads + 1, canUndo: false, canRedo: false }));
  },
  document: () => toGraph(get().nodes, get().edges),

  onNodesChange: (changes) => set((s) => {
    const nodes = applyNodeChanges(changes, s.nodes);
    const finished = changes.some((c) => (c.type === "position" && c.dragging === false) || c.type === "remove");
    return finished ? commitState(s, nodes, s.edges, undefined) : { nodes };
  }),
  onEdgesChange: (changes) => set((s) => {
    const edges = applyEdgeChanges(changes, s.edges);
    return changes.some((c) => c.type === "remove") ? commitState(s, s.nodes, edges) : { edges };
  }),

  checkConnection: (c) => {
    const catalogue = catalogueNow();
    if (!catalogue) return { ok: false, reason: "The component catalogue is still loading." };
    const { nodes, edges } = get();
    const byId = new Map(nodes.map((n) => [n.id, n.data]));
    const specs = edges.map((e) => ({ source: e.source, source_port: e.sourceHandle ?? "", target: e.target, target_port: e.targetHandle ?? "" }));
    return canConnect(catalogue, { node: (id) => byId.get(id), edges: specs }, c);
  },
  connect: (c) => {
    if (isReadOnly()) return { ok: false, reason: "This is a past version (read-only): restore it or go back to the current one to edit." };
    const verdict = get().checkConnection(c);
    if (!verdict.ok) return verdict;
    set((s) => {
      const source = s.nodes.find((n) => n.id === c.source);
      const edge = specToEdge(
        { source: c.source, source_port: c.sourcePort as string, target: c.target, target_port: c.targetPort as string },
        catalogueNow() ?? undefined,
        source && { id: source.id, component: source.data.component, version: source.data.version, params: {}, position: source.position },
      );
      return commitState(s, s.nodes, [...s.edges, edge]);
    });
    return verdict;
  },

  addNode: (componentId, position) => {
    if (isReadOnly()) return null;
    const spec = catalogueNow()?.latest(componentId);
    if (!spec) return null;
    const id = nextNodeId(componentId, new Set(get().nodes.map((n) => n.id)));
    const node = withGeometry({
      id, type: "component", position: { x: Math.round(position.x), y: Math.round(position.y) }, selected: true,
      data: { component: spec.id, version: spec.version, params: {} },
    }, catalogueNow() ?? undefined);
    set((s) => commitState(s, [...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node], s.edges));
    return id;
  },
  deleteSelected: () => {
    const { nodes, edges } = get();
    const ids = new Set(nodes.filter((n) => n.selected).map((n) => n.id));
    const keepEdges = edges.filter((e) => !e.selected && !ids.has(e.source) && !ids.has(e.target));
    const removed = ids.size + edges.length - keepEdges.length;
    if (removed) set((s) => commitState(s, s.nodes.filter((n) => !ids.has(n.id)), keepEdges));
    return removed;
  },
  deleteNodes: (list) => {
    const ids = new Set(list);
    set((s) => commitState(s, s.nodes.filter((n) => !ids.has(n.id)),
      s.edges.filter((e) => !ids.has(e.source) && !ids.has(e.target))));
  },
  setParam: (nodeId, name, value) => set((s) => {
    const nodes = s.nodes.map((n) => {
      if (n.id !== nodeId) return n;
      const params = { ...n.data.params };
      if (value === undefined) delete params[name];
      else params[name] = value;
      return { ...n, data: { ...n.data, params } };
    });
    return commitState(s, nodes, s.edges, `param:${nodeId}:${name}`);
  }),
  setLabel: (nodeId, label) => set((s) => commitState(s, s.nodes.map((n) =>
    n.id === nodeId ? { ...n, data: { ...n.data, label: label.trim() ? label : null } } : n), s.edges, `label:${nodeId}`)),
  selectOnly: (list) => set((s) => {
    const ids = new Set(list);
    return {
      nodes: s.nodes.map((n) => (!!n.selected === ids.has(n.id) ? n : { ...n, selected: ids.has(n.id) })),
      edges: s.edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
    };
  }),

  copySelection: () => {
    const selected = get().nodes.filter((n) => n.selected).map((n) => n.id);
    return selected.length ? copyFragment(get().document(), selected) : null;
  },
  paste: (fragment, at) => {
    const s = get();
    const { graph, pasted } = pasteFragment(s.document(), fragment, at ? { at } : {});
    if (!pasted.length) return [];
    const fresh = new Set(pasted);
    const flow = toFlow(graph, catalogueNow() ?? undefined, s.nodes, s.edges);
    const nodes = flow.nodes.map((n) => (!!n.selected === fresh.has(n.id) ? n : { ...n, selected: fresh.has(n.id) }));
    set(commitState(s, nodes, flow.edges));
    return pasted;
  },
  autoLayout: () => set((s) => {
    const catalogue = catalogueNow();
    const portIndex = (n: DesignerNode | undefined, port: string | null | undefined, side: "inputs" | "outputs") =>
      Math.max(0, catalogue?.spec(n?.data.component ?? "", n?.data.version ?? 0)?.[side].findIndex((p) => p.name === port) ?? 0);
    const byId = new Map(s.nodes.map((n) => [n.id, n]));
    const sizes = s.nodes.map((n) => ({ id: n.id, ...estimateNodeSize(n, catalogue) }));
    const pos = layeredLayout(sizes, s.edges.map((e) => ({
      source: e.source, target: e.target,
      sourceIndex: portIndex(byId.get(e.source), e.sourceHandle, "outputs"),
      targetIndex: portIndex(byId.get(e.target), e.targetHandle, "inputs"),
    })));
    const nodes = s.nodes.map((n) => {
      const p = pos.get(n.id);
      return p && (p.x !== n.position.x || p.y !== n.position.y) ? { ...n, position: p } : n;
    });
    return commitState(s, nodes, s.edges);
  }),

  commit: (key) => set((s) => commitState(s, s.nodes, s.edges, key)),
  undo: () => restore(set, undo),
  redo: () => restore(set, redo),
}));
