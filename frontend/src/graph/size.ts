/**
 * Node box sizes for layout: the size React Flow measured when known, else an estimate from the
 * number of ports (kept in step with ComponentNode's CSS: see styles/node.css).
 */
import type { CatalogueIndex } from "./catalogue";
import type { DesignerNode } from "./convert";

export const NODE_WIDTH = 220;
const HEADER = 38;
const ROW = 22;
const FOOTER = 26;

export function estimateNodeSize(node: DesignerNode, catalogue: CatalogueIndex | null): { width: number; height: number } {
  if (node.measured?.width && node.measured.height) return { width: node.measured.width, height: node.measured.height };
  const spec = catalogue?.spec(node.data.component, node.data.version);
  const rows = Math.max(1, spec?.inputs.length ?? 1, spec?.outputs.length ?? 1);
  return { width: NODE_WIDTH, height: HEADER + rows * ROW + FOOTER };
}
