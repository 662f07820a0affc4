/**
 * The node box and its port handles, computed from the component spec (kept in step with
 * ComponentNode's CSS, styles/node.css: fixed heights per part). Giving React Flow these up front
 * (`measured`, `handles`) lets it draw nodes and edges without measuring 1,000 DOM nodes first;
 * if the DOM ever disagrees, React Flow's resize observer measures and wins.
 */
import type { NodeHandle } from "@xyflow/react";
import { Position } from "@xyflow/react";
import type { CatalogueIndex } from "./catalogue";
import type { DesignerNode } from "./convert";
import type { ComponentSpec } from "./types";

export const NODE_WIDTH = 220;
/** Top border 3 + header 25 + sub-line 19, then the port rows' border 1 and padding 4. */
const FIRST_ROW_TOP = 3 + 25 + 19 + 1 + 4;
export const ROW = 22;
/** Padding 4 under the rows, status bar 27, bottom border 1. */
const BELOW_ROWS = 4 + 27 + 1;
const EMPTY_PORTS = 10;
const HANDLE = 10;

export interface NodeGeometry {
  width: number;
  height: number;
  handles: NodeHandle[];
}

export function nodeGeometry(spec: Pick<ComponentSpec, "inputs" | "outputs">): NodeGeometry {
  const rows = Math.max(spec.inputs.length, spec.outputs.length);
  const height = rows ? FIRST_ROW_TOP + rows * ROW + BELOW_ROWS : FIRST_ROW_TOP - 5 + EMPTY_PORTS + 28;
  const handle = (id: string, type: "source" | "target", i: number): NodeHandle => ({
    id, type, position: type === "source" ? Position.Right : Position.Left,
    x: type === "source" ? NODE_WIDTH : -HANDLE, y: FIRST_ROW_TOP + i * ROW + (ROW - HANDLE) / 2, width: HANDLE, height: HANDLE,
  });
  return {
    width: NODE_WIDTH,
    height,
    handles: [...spec.inputs.map((p, i) => handle(p.name, "target", i)), ...spec.outputs.map((p, i) => handle(p.name, "source", i))],
  };
}

export function estimateNodeSize(node: DesignerNode, catalogue: CatalogueIndex | null): { width: number; height: number } {
  if (node.measured?.width && node.measured.height) return { width: node.measured.width, height: node.measured.height };
  const spec = catalogue?.spec(node.data.component, node.data.version);
  return spec ? nodeGeometry(spec) : { width: NODE_WIDTH, height: FIRST_ROW_TOP + ROW + BELOW_ROWS };
}
