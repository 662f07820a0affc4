/**
 * The far-zoom overview of a big graph, drawn on a 2D canvas (pure drawing and hit testing, no
 * React): node boxes in their category colour with their run status, edges as curves between the
 * handles of graph/size.ts. React Flow mounts no node or edge at that zoom, so opening or panning a
 * 1,000-node workflow zoomed out costs one canvas draw, not thousands of components.
 */
import type { DesignerEdge, DesignerNode } from "../graph/convert";
import type { CatalogueIndex } from "../graph/catalogue";
import { estimateNodeSize } from "../graph/size";

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
  width: number;
  height: number;
}

export interface OverviewStyle {
  status: (id: string) => string | undefined;
  problems: (id: string) => boolean;
}

const STATUS_FILL: Record<string, string> = {
  succeeded: "#cfeedd", cached: "#cdeceb", running: "#d6e4fb", failed: "#f8cfcf", queued: "#eceff4", pending: "#eceff4",
  skipped: "#f6ecd2", cancelled: "#f6ecd2",
};

function handlePoint(n: DesignerNode, port: string | null | undefined, type: "source" | "target", size: { width: number; height: number }) {
  const h = n.handles?.find((x) => x.type === type && x.id === port);
  if (!h) return { x: n.position.x + (type === "source" ? size.width : 0), y: n.position.y + size.height / 2 };
  return { x: n.position.x + h.x + (type === "source" ? h.width ?? 10 : 0), y: n.position.y + h.y + (h.height ?? 10) / 2 };
}

/** Draw nodes and edges of the graph as seen through `vp` (CSS pixels) onto `ctx`. */
export function drawOverview(ctx: CanvasRenderingContext2D, vp: Viewport, nodes: readonly DesignerNode[], edges: readonly DesignerEdge[],
  catalogue: CatalogueIndex | null, style: OverviewStyle): void {
  ctx.clearRect(0, 0, vp.width, vp.height);
  ctx.save();
  ctx.translate(vp.x, vp.y);
  ctx.scale(vp.zoom, vp.zoom);
  const left = -vp.x / vp.zoom, top = -vp.y / vp.zoom;
  const right = left + vp.width / vp.zoom, bottom = top + vp.height / vp.zoom;
  const byId = new Map<string, { n: DesignerNode; size: { width: number; height: number } }>();
  for (const n of nodes) byId.set(n.id, { n, size: estimateNodeSize(n, catalogue) });

  ctx.lineWidth = 1.5 / vp.zoom;
  const curves = new Map<string, Path2D>();
  for (const e of edges) {
    const s = byId.get(e.source), t = byId.get(e.target);
    if (!s || !t) continue;
    const a = handlePoint(s.n, e.sourceHandle, "source", s.size), b = handlePoint(t.n, e.targetHandle, "target", t.size);
    if (Math.max(a.x, b.x) < left || Math.min(a.x, b.x) > right || Math.max(a.y, b.y) < top || Math.min(a.y, b.y) > bottom) continue;
    const colour = String(e.style?.stroke ?? "#9aa5b8");
    const path = curves.get(colour) ?? new Path2D();
    const dx = Math.max(40, Math.abs(b.x - a.x) / 2);
    path.moveTo(a.x, a.y);
    path.bezierCurveTo(a.x + dx, a.y, b.x - dx, b.y, b.x, b.y);
    curves.set(colour, path);
  }
  for (const [colour, path] of curves) {
    ctx.strokeStyle = colour;
    ctx.stroke(path);
  }

  const labels = vp.zoom * 13 >= 5;
  const outlines = new Path2D();
  for (const { n, size } of byId.values()) {
    const { x, y } = n.position;
    if (x > right || y > bottom || x + size.width < left || y + size.height < top) continue;
    const spec = catalogue?.spec(n.data.component, n.data.version);
    ctx.fillStyle = STATUS_FILL[style.status(n.id) ?? ""] ?? "#ffffff";
    ctx.fillRect(x, y, size.width, size.height);
    outlines.rect(x, y, size.width, size.height);
    ctx.fillStyle = spec && catalogue ? catalogue.categoryColour(spec.category) : "#8a94a6";
    ctx.fillRect(x, y, size.width, Math.min(size.height, 14));
    const problem = style.problems(n.id);
    if (n.selected || problem) {
      ctx.strokeStyle = problem ? "#d93f3f" : "#2f6fdf";
      ctx.lineWidth = 3 / vp.zoom;
      ctx.strokeRect(x, y, size.width, size.height);
      ctx.lineWidth = 1.5 / vp.zoom;
    }
    if (labels) {
      ctx.fillStyle = "#1d2433";
      ctx.font = "600 22px system-ui, sans-serif";
      ctx.fillText(n.data.label || spec?.title || n.data.component, x + 10, y + 44, size.width - 20);
    }
  }
  ctx.strokeStyle = "#aab4c4";
  ctx.lineWidth = 1 / vp.zoom;
  ctx.stroke(outlines);
  ctx.restore();
}

/** The node under a point in flow coordinates (topmost, i.e. last drawn), or null. */
export function nodeAt(nodes: readonly DesignerNode[], catalogue: CatalogueIndex | null, x: number, y: number): string | null {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i]!;
    const size = estimateNodeSize(n, catalogue);
    if (x >= n.position.x && x <= n.position.x + size.width && y >= n.position.y && y <= n.position.y + size.height) return n.id;
  }
  return null;
}
