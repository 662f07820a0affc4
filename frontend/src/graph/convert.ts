/**
 * Conversion between the graph document (GraphSpec) and React Flow's nodes and edges. Handles are
 * port names; node data carries only serialisable fields (no callbacks, CONVENTIONS item 24).
 */
import type { Edge, Node } from "@xyflow/react";
import type { CatalogueIndex } from "./catalogue";
import { nodeGeometry } from "./size";
import type { EdgeSpec, GraphSpec, NodeSpec, Params } from "./types";
import { SCHEMA_VERSION } from "./types";

export interface ComponentNodeData extends Record<string, unknown> {
  component: string;
  version: number;
  label?: string | null;
  params: Params;
}

export type DesignerNode = Node<ComponentNodeData, "component">;
export type DesignerEdge = Edge;

export const NODE_TYPE = "component" as const;

export const edgeId = (e: EdgeSpec): string =>
  `${e.source}.${e.source_port}->${e.target}.${e.target_port}`;

const round = (v: number): number => Math.round(v);

export function nodeToSpec(n: DesignerNode): NodeSpec {
  const spec: NodeSpec = {
    id: n.id,
    component: n.data.component,
    version: n.data.version,
    params: n.data.params,
    position: { x: round(n.position.x), y: round(n.position.y) },
  };
  if (n.data.label) spec.label = n.data.label;
  return spec;
}

export function edgeToSpec(e: DesignerEdge): EdgeSpec {
  return {
    source: e.source,
    source_port: e.sourceHandle ?? "",
    target: e.target,
    target_port: e.targetHandle ?? "",
  };
}

/** React Flow state -> graph document (edge order kept: it matters for `many` inputs). */
export function toGraph(nodes: readonly DesignerNode[], edges: readonly DesignerEdge[]): GraphSpec {
  return { schema_version: SCHEMA_VERSION, nodes: nodes.map(nodeToSpec), edges: edges.map(edgeToSpec) };
}

function sameNode(prev: DesignerNode, spec: NodeSpec): boolean {
  const d = prev.data;
  return d.component === spec.component && d.version === spec.version &&
    (d.label ?? null) === (spec.label ?? null) && d.params === spec.params &&
    round(prev.position.x) === spec.position.x && round(prev.position.y) === spec.position.y;
}

/** Size and handles known before rendering (see size.ts), when the component is in the catalogue. */
export function withGeometry(node: DesignerNode, catalogue?: CatalogueIndex): DesignerNode {
  const spec = catalogue?.spec(node.data.component, node.data.version);
  if (!spec || node.measured) return node;
  const { width, height, handles } = nodeGeometry(spec);
  return { ...node, measured: { width, height }, handles };
}

/** One node; reuses `prev` (same object) when nothing changed, so memoized views skip work. */
export function specToNode(spec: NodeSpec, prev?: DesignerNode, catalogue?: CatalogueIndex): DesignerNode {
  if (prev && sameNode(prev, spec)) return prev;
  const data: ComponentNodeData = { component: spec.component, version: spec.version, params: spec.params ?? {} };
  if (spec.label) data.label = spec.label;
  const node: DesignerNode = { id: spec.id, type: NODE_TYPE, position: { ...spec.position }, data };
  if (prev?.selected) node.selected = true;
  if (prev?.measured && prev.data.component === spec.component && prev.data.version === spec.version) {
    node.measured = prev.measured;
    if (prev.handles) node.handles = prev.handles;
  }
  return withGeometry(node, catalogue);
}

export function specToEdge(spec: EdgeSpec, catalogue?: CatalogueIndex, sourceComponent?: NodeSpec): DesignerEdge {
  const edge: DesignerEdge = {
    id: edgeId(spec),
    source: spec.source,
    sourceHandle: spec.source_port,
    target: spec.target,
    targetHandle: spec.target_port,
  };
  const port = catalogue && sourceComponent
    ? catalogue.output(sourceComponent.component, sourceComponent.version, spec.source_port)
    : undefined;
  if (port && catalogue) {
    edge.style = { stroke: catalogue.typeColour(port.type) };
    edge.data = { type: port.type };
  }
  return edge;
}

/** Graph document -> React Flow state. `previous` nodes are reused where unchanged. */
export function toFlow(
  graph: GraphSpec,
  catalogue?: CatalogueIndex,
  previous: readonly DesignerNode[] = [],
  previousEdges: readonly DesignerEdge[] = [],
): { nodes: DesignerNode[]; edges: DesignerEdge[] } {
  const prevById = new Map(previous.map((n) => [n.id, n]));
  const specById = new Map(graph.nodes.map((n) => [n.id, n]));
  const prevEdges = new Map(previousEdges.map((e) => [e.id, e]));
  const nodes = graph.nodes.map((n) => specToNode(n, prevById.get(n.id), catalogue));
  const edges = graph.edges.map((e) => {
    const old = prevEdges.get(edgeId(e));
    return old ?? specToEdge(e, catalogue, specById.get(e.source));
  });
  return { nodes, edges };
}

/** Parse an untrusted document (from the server, a file or the clipboard) into a GraphSpec. */
export function parseGraph(value: unknown): GraphSpec {
  const doc = (value ?? {}) as Partial<GraphSpec>;
  if (typeof doc !== "object" || !Array.isArray(doc.nodes ?? []) || !Array.isArray(doc.edges ?? [])) {
    throw new Error("Not a workflow graph: expected an object with 'nodes' and 'edges' lists.");
  }
  const nodes = (doc.nodes ?? []).map((n): NodeSpec => {
    if (!n || typeof n.id !== "string" || typeof n.component !== "string") {
      throw new Error("Not a workflow graph: every node needs a string 'id' and 'component'.");
    }
    const spec: NodeSpec = {
      id: n.id,
      component: n.component,
      version: typeof n.version === "number" ? n.version : 1,
      params: n.params && typeof n.params === "object" ? n.params : {},
      position: { x: Number(n.position?.x ?? 0) || 0, y: Number(n.position?.y ?? 0) || 0 },
    };
    if (n.label) spec.label = n.label;
    return spec;
  });
  const edges = (doc.edges ?? []).map((e): EdgeSpec => ({
    source: String(e.source), source_port: String(e.source_port),
    target: String(e.target), target_port: String(e.target_port),
  }));
  return { schema_version: doc.schema_version ?? SCHEMA_VERSION, nodes, edges };
}
