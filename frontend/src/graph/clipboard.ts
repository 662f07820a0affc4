/**
 * Copy/paste of graph fragments as JSON text (so they travel through the system clipboard, also
 * into another workflow). Pasting renames nodes with the node-id rule and rewires internal edges.
 */
import { nextNodeId } from "./ids";
import type { EdgeSpec, GraphSpec, NodeSpec, Position } from "./types";

export const FRAGMENT_KIND = "designer/graph-fragment";

export interface Fragment {
  kind: typeof FRAGMENT_KIND;
  version: 1;
  nodes: NodeSpec[];
  edges: EdgeSpec[];
}

/** The selected nodes and the edges between them (edges to unselected nodes are left out). */
export function copyFragment(graph: GraphSpec, selected: Iterable<string>): Fragment {
  const ids = new Set(selected);
  return {
    kind: FRAGMENT_KIND,
    version: 1,
    nodes: graph.nodes.filter((n) => ids.has(n.id)).map((n) => structuredClone(n)),
    edges: graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => ({ ...e })),
  };
}

export const serializeFragment = (f: Fragment): string => JSON.stringify(f);

/** Our fragment from clipboard text, or null for anything else (plain text, other apps). */
export function parseFragment(text: string): Fragment | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const f = value as Partial<Fragment> | null;
  if (!f || f.kind !== FRAGMENT_KIND || !Array.isArray(f.nodes) || !Array.isArray(f.edges)) return null;
  const okNode = (n: NodeSpec) => n && typeof n.id === "string" && typeof n.component === "string";
  if (!f.nodes.every(okNode)) return null;
  return f as Fragment;
}

export interface PasteOptions {
  /** Put the fragment's top-left corner here; otherwise shift every node by `offset`. */
  at?: Position;
  offset?: Position;
}

/** Add `fragment` to `graph` with fresh ids. Returns the new graph and the new nodes' ids. */
export function pasteFragment(graph: GraphSpec, fragment: Fragment, opts: PasteOptions = {}): { graph: GraphSpec; pasted: string[] } {
  if (!fragment.nodes.length) return { graph, pasted: [] };
  const taken = new Set(graph.nodes.map((n) => n.id));
  const rename = new Map<string, string>();
  for (const n of fragment.nodes) {
    const id = nextNodeId(n.component, taken);
    taken.add(id);
    rename.set(n.id, id);
  }
  const minX = Math.min(...fragment.nodes.map((n) => n.position?.x ?? 0));
  const minY = Math.min(...fragment.nodes.map((n) => n.position?.y ?? 0));
  const dx = opts.at ? opts.at.x - minX : (opts.offset?.x ?? 40);
  const dy = opts.at ? opts.at.y - minY : (opts.offset?.y ?? 40);
  const nodes = fragment.nodes.map((n): NodeSpec => ({
    ...structuredClone(n),
    id: rename.get(n.id) as string,
    position: { x: Math.round((n.position?.x ?? 0) + dx), y: Math.round((n.position?.y ?? 0) + dy) },
  }));
  const edges = fragment.edges
    .filter((e) => rename.has(e.source) && rename.has(e.target))
    .map((e) => ({ ...e, source: rename.get(e.source) as string, target: rename.get(e.target) as string }));
  return {
    graph: { ...graph, nodes: [...graph.nodes, ...nodes], edges: [...graph.edges, ...edges] },
    pasted: nodes.map((n) => n.id),
  };
}
